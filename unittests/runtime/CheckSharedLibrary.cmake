# Checks the shared runtime's footprint: under 1 MiB and depending on nothing
# but the C and C++ runtime libraries and simdjson (which reads IPE
# requests): no LLVM, MLIR or ANTLR.
#   cmake -DLIBRARY=<path to librune_runtime.so> -P CheckSharedLibrary.cmake

if(NOT LIBRARY OR NOT EXISTS "${LIBRARY}")
  message(FATAL_ERROR "LIBRARY not given or missing: ${LIBRARY}")
endif()

file(SIZE "${LIBRARY}" size)
message(STATUS "${LIBRARY}: ${size} bytes")
if(size GREATER_EQUAL 1048576)
  message(FATAL_ERROR "shared runtime is ${size} bytes; the limit is 1 MiB")
endif()

find_program(READELF readelf REQUIRED)
execute_process(COMMAND "${READELF}" -d "${LIBRARY}"
  OUTPUT_VARIABLE dynamic RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "readelf -d failed")
endif()
string(REGEX MATCHALL "\\(NEEDED\\)[^\n]*\\[[^]]*\\]" needed "${dynamic}")
if(NOT needed)
  message(FATAL_ERROR "no NEEDED entries found in:\n${dynamic}")
endif()
foreach(entry IN LISTS needed)
  string(REGEX REPLACE ".*\\[([^]]*)\\]" "\\1" name "${entry}")
  message(STATUS "NEEDED ${name}")
  if(name MATCHES "LLVM|MLIR|mlir|antlr")
    message(FATAL_ERROR "forbidden dependency: ${name}")
  endif()
  if(NOT name MATCHES "^lib(c|m|stdc\\+\\+|gcc_s|simdjson)\\.so")
    message(FATAL_ERROR "unexpected dependency: ${name}")
  endif()
endforeach()
