//===- Request.h - One authorization request --------------------*- C++ -*-===//

#ifndef RUNE_RUNTIME_REQUEST_H
#define RUNE_RUNTIME_REQUEST_H

#include "rune/Runtime/Arena.h"
#include "rune/Runtime/Engine.h"
#include "rune/Runtime/Value.h"

#include <memory>
#include <string>
#include <string_view>

namespace rune {

/// principal, action, resource (entities) and context (a record). Its values
/// live in the request's own arena.
class Request {
public:
  explicit Request(std::shared_ptr<Engine> engine);
  Request(const Request &) = delete;
  Request &operator=(const Request &) = delete;

  /// Parses the three uids in Cedar syntax and the context JSON object
  /// (`contextJson` empty means the empty record). On failure returns false
  /// with a message; context errors read "context:<line>:<col>: error: ...".
  bool build(std::string_view principal, std::string_view action,
             std::string_view resource, std::string_view contextJson,
             std::string &error);

  Engine &engine() const { return *enginePtr; }
  const std::shared_ptr<Engine> &sharedEngine() const { return enginePtr; }
  Arena &arena() { return storage; }

  Value principal;
  Value action;
  Value resource;
  Value context;

private:
  std::shared_ptr<Engine> enginePtr;
  Arena storage;
};

/// Parses an entity uid in Cedar syntax into `arena`.
bool parseEntityUidValue(std::string_view text, SymbolTable &symbols,
                         Arena &arena, Value &out, std::string &error);

} // namespace rune

#endif // RUNE_RUNTIME_REQUEST_H
