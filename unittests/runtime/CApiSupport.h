//===- CApiSupport.h - Owning the C API's objects in tests -----*- C++ -*-===//

#ifndef RUNE_UNITTESTS_RUNTIME_CAPISUPPORT_H
#define RUNE_UNITTESTS_RUNTIME_CAPISUPPORT_H

#include "rune/rune.h"

#include <string>

namespace rune::test {

/// Owns the C objects of one test.
struct CApi {
  CApi() : engine(rune_engine_create()) {}
  ~CApi() {
    rune_response_free(response);
    rune_request_free(request);
    rune_entities_free(entities);
    rune_module_free(module);
    rune_schema_free(schema);
    rune_engine_free(engine);
    rune_string_free(error);
  }
  std::string takeError() {
    std::string message = error ? error : "";
    rune_string_free(error);
    error = nullptr;
    return message;
  }

  rune_engine *engine;
  rune_module *module = nullptr;
  rune_schema *schema = nullptr; // one loaded on its own
  rune_entities *entities = nullptr;
  rune_request *request = nullptr;
  rune_response *response = nullptr;
  char *error = nullptr;
};

} // namespace rune::test

#endif // RUNE_UNITTESTS_RUNTIME_CAPISUPPORT_H
