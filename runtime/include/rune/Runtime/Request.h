//===- Request.h - One authorization request --------------------*- C++ -*-===//

#ifndef RUNE_RUNTIME_REQUEST_H
#define RUNE_RUNTIME_REQUEST_H

#include "rune/Runtime/Arena.h"
#include "rune/Runtime/Engine.h"
#include "rune/Runtime/Schema.h"
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
  /// (`contextJson` empty means the empty record). With a schema the request
  /// is validated against it (RequestValidation.h) and the context read with
  /// the type the action declares for it. On failure returns false with a
  /// message; context errors read "context:<line>:<col>: error: ...".
  bool build(std::string_view principal, std::string_view action,
             std::string_view resource, std::string_view contextJson,
             std::string &error, const Schema *schema = nullptr);

  /// An entity uid as its two parts. The id may hold any characters.
  struct UidParts {
    std::string_view type;
    std::string_view id;
  };
  /// As build, with the uids given as parts rather than in Cedar syntax.
  bool buildFromParts(UidParts principal, UidParts action, UidParts resource,
                      std::string_view contextJson, std::string &error,
                      const Schema *schema = nullptr);

  Engine &engine() const { return *enginePtr; }
  const std::shared_ptr<Engine> &sharedEngine() const { return enginePtr; }
  Arena &arena() { return storage; }

  Value principal;
  Value action;
  Value resource;
  Value context;

private:
  /// Validates the uids (with a schema) and reads the context.
  bool finishBuild(std::string_view contextJson, std::string &error,
                   const Schema *schema);

  std::shared_ptr<Engine> enginePtr;
  Arena storage;
};

/// Parses an entity uid in Cedar syntax into `arena`.
bool parseEntityUidValue(std::string_view text, SymbolTable &symbols,
                         Arena &arena, Value &out, std::string &error);

} // namespace rune

#endif // RUNE_RUNTIME_REQUEST_H
