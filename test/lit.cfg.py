# lit configuration of the rune test suite.
import os
import lit.formats

config.name = "rune"
config.test_format = lit.formats.ShTest(execute_external=True)
config.suffixes = [".cedar", ".mlir", ".test"]
config.excludes = ["Inputs", "lit.cfg.py", "lit.site.cfg.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.rune_binary_dir, "test")

config.environment["PATH"] = os.pathsep.join(
    [config.rune_tools_dir, config.llvm_tools_dir, config.environment.get("PATH", os.environ["PATH"])])

config.substitutions.append(("%FileCheck", config.filecheck))
config.substitutions.append(("%not", config.not_tool))
config.substitutions.append(("%rune_libdir", config.rune_lib_dir))
config.substitutions.append(("%cxx", config.cxx_compiler))
config.substitutions.append(("%inputs", os.path.join(config.test_source_root, "Inputs")))
config.substitutions.append(("%rune_include", os.path.join(config.rune_source_dir, "runtime", "include")))
config.substitutions.append(("%examples", os.path.join(config.rune_source_dir, "examples")))
# Link line for an authorizer built from a native policy object.
config.substitutions.append((
    "%link_native",
    "%s -o %%t.exe %%t.o -L%s -lrune_native_main -lrune_cli -l:librune_runtime.a -lboost_program_options -lfmt -lsimdjson"
    % (config.cxx_compiler, config.rune_lib_dir)))

if os.path.isdir(os.path.join(config.conformance_dir, "cedar")):
    config.available_features.add("cedar-conformance")

# Soufflé's Datalog conformance programs (test/Souffle/conformance.test).
config.substitutions.append(
    ("%souffle_conformance", os.path.join(config.conformance_dir, "datalog")))
if os.path.isdir(os.path.join(config.conformance_dir, "datalog")):
    config.available_features.add("souffle-conformance")
