# rune_add_antlr_grammar(<target> <grammar.g4> [NAMESPACE <ns>])
#
# Generates a C++ lexer, parser and visitor from a combined ANTLR4 grammar at
# build time and wraps them in the static library <target>. The generated
# sources live only in the build tree (never committed); consumers linking
# <target> get the generated headers and the ANTLR runtime headers on their
# include path, and the ANTLR runtime library on their link line.
#
# NAMESPACE is the C++ namespace of the generated classes (antlr4 -package);
# it defaults to the grammar name in lower case.

find_program(RUNE_ANTLR4_EXECUTABLE NAMES antlr4 antlr
  DOC "ANTLR4 tool used to generate the Cedar parser")
find_path(RUNE_ANTLR4_INCLUDE_DIR antlr4-runtime.h
  HINTS /usr/include/antlr4-runtime /usr/local/include/antlr4-runtime
  DOC "Directory containing antlr4-runtime.h")
find_library(RUNE_ANTLR4_RUNTIME_LIBRARY NAMES antlr4-runtime
  DOC "ANTLR4 C++ runtime library")

function(rune_add_antlr_grammar target grammar)
  cmake_parse_arguments(ARG "" "NAMESPACE" "" ${ARGN})
  if(ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR
      "rune_add_antlr_grammar: unexpected arguments: ${ARG_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT RUNE_ANTLR4_EXECUTABLE)
    message(FATAL_ERROR "rune_add_antlr_grammar: the antlr4 tool was not found")
  endif()
  if(NOT RUNE_ANTLR4_INCLUDE_DIR OR NOT RUNE_ANTLR4_RUNTIME_LIBRARY)
    message(FATAL_ERROR
      "rune_add_antlr_grammar: the ANTLR4 C++ runtime (headers and "
      "libantlr4-runtime) was not found")
  endif()

  get_filename_component(grammar_path "${grammar}" ABSOLUTE)
  get_filename_component(grammar_name "${grammar}" NAME_WE)
  if(ARG_NAMESPACE)
    set(namespace "${ARG_NAMESPACE}")
  else()
    string(TOLOWER "${grammar_name}" namespace)
  endif()

  set(out_dir "${CMAKE_CURRENT_BINARY_DIR}/antlr/${target}")
  set(generated_sources)
  set(generated_headers)
  foreach(component Lexer Parser Visitor BaseVisitor)
    list(APPEND generated_sources "${out_dir}/${grammar_name}${component}.cpp")
    list(APPEND generated_headers "${out_dir}/${grammar_name}${component}.h")
  endforeach()

  add_custom_command(
    OUTPUT ${generated_sources} ${generated_headers}
    COMMAND "${CMAKE_COMMAND}" -E make_directory "${out_dir}"
    COMMAND "${RUNE_ANTLR4_EXECUTABLE}" -Dlanguage=Cpp -visitor -no-listener
            -package "${namespace}" -Xexact-output-dir -o "${out_dir}"
            "${grammar_path}"
    DEPENDS "${grammar_path}"
    COMMENT "Generating the ${grammar_name} parser with ANTLR4"
    VERBATIM)

  add_library(${target} STATIC ${generated_sources} ${generated_headers})
  # Generated code is not ours to fix: silence its warnings, and mark its
  # headers (and the runtime's) as system headers so that they do not warn
  # in the files that include them either.
  target_compile_options(${target} PRIVATE -w)
  # ANTLR 4.7 spells its tables with u8"" literals, which are char8_t (not
  # char) since C++20.
  target_compile_options(${target} PRIVATE
    $<$<COMPILE_LANG_AND_ID:CXX,GNU,Clang,AppleClang>:-fno-char8_t>)
  # The ANTLR runtime reports errors through C++ exceptions and needs RTTI.
  target_compile_options(${target} PUBLIC -fexceptions -frtti)
  target_include_directories(${target} SYSTEM PUBLIC
    "${out_dir}" "${RUNE_ANTLR4_INCLUDE_DIR}")
  target_link_libraries(${target} PUBLIC "${RUNE_ANTLR4_RUNTIME_LIBRARY}")
endfunction()
