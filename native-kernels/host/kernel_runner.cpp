// kernel-runner: runs one of the project's CUDA kernels on the CPU, built with g++ from the same .cu
// sources as the PTX (through host/cuda_host_shim.h). It is the bridge for the Java tests
// (src/test/java/org/alexnetcuda/kernels/HostKernelLauncher.java) and for the CPU simulator of the device
// API: a launch is the kernel's name, the launch shape and a typed argument list matching the PTX entry's
// parameters; device buffers are little-endian binary files.
//
// Usage:
//   kernel-runner list
//       One line per kernel: "<module> <kernel> <barriers|nobarriers> <param type>...", types being
//       ptr, i32, u32, i64, u64, f32, f64 (the PTX entry has .u64 for ptr/i64/u64, .u32 for i32/u32).
//   kernel-runner run <kernel> <gridX[,Y,Z]> <blockX[,Y,Z]> <arg>...
//       ptr:<file>   a device buffer: the file is read into memory of exactly its size, passed as the
//                    pointer, and written back after the launch if the kernel changed it; the same file
//                    given twice is one buffer (in-place launches)
//       null         a null pointer
//       i32:<v> u32:<v> i64:<v> u64:<v>   integers (decimal or 0x hex)
//       f32:<v> f64:<v>                   floats: decimal, C99 hex float (Java's Float.toHexString /
//                                         Double.toHexString write it, so the value passes exactly),
//                                         Infinity, NaN
//   Exit status: 0 done; 2 bad usage or arguments (message on stderr); 3 I/O error; a kernel that traps
//   (KERNEL_REQUIRE) or misuses barriers aborts with a message (SIGABRT).
//   Environment: CUDA_HOST_SHIM_SEED (block order) and CUDA_HOST_SHIM_THREADS (workers); see
//   cuda_host_shim.h. Abort messages end with the values that reproduce them.
//
// The argument types are checked against the kernel's C++ signature, which the template below reads
// from the kernel itself, so the runner cannot drift from the sources; KernelSignatureTest checks that
// `list` matches the .entry parameters of the committed PTX.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <string>
#include <utility>
#include <vector>

// The kernels, compiled for the host: one translation unit, so every kernel's exact C++ type is visible.
#include "../activation.cu"
#include "../data.cu"
#include "../dropout.cu"
#include "../linear.cu"
#include "../loss.cu"
#include "../optimizer.cu"
#include "../precision.cu"
#ifdef KERNEL_RUNNER_PLANTED_BUGS
// Test-only kernels with planted bugs (build/kernel-runner-planted, for HostShimChecksTest); never in the
// shipped runner, whose `list` must match the PTX.
#include "test/planted_bugs.cu"
#endif

namespace {

enum class ParamType { Ptr, I32, U32, I64, U64, F32, F64 };

const char* type_name(ParamType t) {
    switch (t) {
        case ParamType::Ptr: return "ptr";
        case ParamType::I32: return "i32";
        case ParamType::U32: return "u32";
        case ParamType::I64: return "i64";
        case ParamType::U64: return "u64";
        case ParamType::F32: return "f32";
        case ParamType::F64: return "f64";
    }
    return "?";
}

template <class T> struct param_type;
template <class T> struct param_type<T*> { static constexpr ParamType value = ParamType::Ptr; };
template <> struct param_type<int> { static constexpr ParamType value = ParamType::I32; };
template <> struct param_type<unsigned int> { static constexpr ParamType value = ParamType::U32; };
template <> struct param_type<long long> { static constexpr ParamType value = ParamType::I64; };
template <> struct param_type<unsigned long long> { static constexpr ParamType value = ParamType::U64; };
template <> struct param_type<float> { static constexpr ParamType value = ParamType::F32; };
template <> struct param_type<double> { static constexpr ParamType value = ParamType::F64; };

struct Arg {
    ParamType type;
    union {
        void* ptr;
        int i32;
        unsigned int u32;
        long long i64;
        unsigned long long u64;
        float f32;
        double f64;
    };
};

template <class T> struct arg_value {
    static T get(const Arg& a) {
        if constexpr (std::is_pointer<T>::value) {
            return static_cast<T>(a.ptr);
        } else if constexpr (std::is_same<T, int>::value) {
            return a.i32;
        } else if constexpr (std::is_same<T, unsigned int>::value) {
            return a.u32;
        } else if constexpr (std::is_same<T, long long>::value) {
            return a.i64;
        } else if constexpr (std::is_same<T, unsigned long long>::value) {
            return a.u64;
        } else if constexpr (std::is_same<T, float>::value) {
            return a.f32;
        } else {
            static_assert(std::is_same<T, double>::value, "unsupported kernel parameter type");
            return a.f64;
        }
    }
};

struct KernelEntry {
    const char* module;
    const char* name;
    bool barriers;  // uses __syncthreads(): run with launch(), else launch_unsynchronized()
    std::vector<ParamType> params;
    void (*run)(const KernelEntry&, dim3, dim3, const std::vector<Arg>&);
    void* kernel;
};

template <class... P, size_t... I>
void invoke(void (*kernel)(P...), bool barriers, dim3 grid, dim3 block, const std::vector<Arg>& args,
            std::index_sequence<I...>) {
    if (barriers) {
        launch(grid, block, kernel, arg_value<P>::get(args[I])...);
    } else {
        launch_unsynchronized(grid, block, kernel, arg_value<P>::get(args[I])...);
    }
}

template <class... P>
KernelEntry entry(const char* module, const char* name, bool barriers, void (*kernel)(P...)) {
    KernelEntry e;
    e.module = module;
    e.name = name;
    e.barriers = barriers;
    e.params = {param_type<P>::value...};
    e.kernel = reinterpret_cast<void*>(kernel);
    e.run = [](const KernelEntry& self, dim3 grid, dim3 block, const std::vector<Arg>& args) {
        auto k = reinterpret_cast<void (*)(P...)>(self.kernel);
        cuda_host_shim::KernelName name(self.name);  // for the shim's failure messages
        invoke(k, self.barriers, grid, block, args, std::index_sequence_for<P...>{});
    };
    return e;
}

// Every extern "C" __global__ of native-kernels/, by module (= .cu file = .ptx file).
const std::vector<KernelEntry>& registry() {
    static const std::vector<KernelEntry> kernels = {
        entry("activation", "relu_forward", false, relu_forward),
        entry("activation", "relu_backward", false, relu_backward),
        entry("activation", "relu_forward_half", false, relu_forward_half),
        entry("activation", "relu_backward_half", false, relu_backward_half),
        entry("data", "data_prepare_batch", false, data_prepare_batch),
        entry("data", "data_prepare_batch_half", false, data_prepare_batch_half),
        entry("dropout", "dropout_forward", false, dropout_forward),
        entry("dropout", "dropout_backward", false, dropout_backward),
        entry("dropout", "dropout_forward_half", false, dropout_forward_half),
        entry("dropout", "dropout_backward_half", false, dropout_backward_half),
        entry("linear", "bias_grad_accumulate", false, bias_grad_accumulate),
        entry("linear", "bias_grad_accumulate_half", false, bias_grad_accumulate_half),
        entry("loss", "softmax_xent_forward_backward", true, softmax_xent_forward_backward),
        entry("loss", "loss_accumulate", true, loss_accumulate),
        entry("loss", "confusion_accumulate", false, confusion_accumulate),
        entry("optimizer", "adam_begin_step", false, adam_begin_step),
        entry("optimizer", "adam_update", false, adam_update),
        entry("optimizer", "adam_begin_step_mixed", false, adam_begin_step_mixed),
        entry("optimizer", "adam_update_mixed", false, adam_update_mixed),
        entry("precision", "cast_to_half", false, cast_to_half),
        entry("precision", "cast_to_float", false, cast_to_float),
        entry("precision", "cast_to_half_scaled", false, cast_to_half_scaled),
        entry("precision", "grads_check_finite", false, grads_check_finite),
        entry("precision", "loss_scale_update", false, loss_scale_update),
#ifdef KERNEL_RUNNER_PLANTED_BUGS
        entry("planted", "planted_shared_read_before_write", true, planted_shared_read_before_write),
        entry("planted", "planted_divergent_barrier_loop", true, planted_divergent_barrier_loop),
        entry("planted", "planted_divergent_barrier_sites", true, planted_divergent_barrier_sites),
        entry("planted", "planted_block_chain", false, planted_block_chain),
        entry("planted", "control_block_sum", true, control_block_sum),
#endif
    };
    return kernels;
}

[[noreturn]] void usage_error(const std::string& msg) {
    fprintf(stderr, "kernel-runner: %s\n", msg.c_str());
    exit(2);
}

[[noreturn]] void io_error(const std::string& msg) {
    fprintf(stderr, "kernel-runner: %s: %s\n", msg.c_str(), strerror(errno));
    exit(3);
}

dim3 parse_dim3(const char* s) {
    unsigned long v[3] = {1, 1, 1};
    const char* p = s;
    for (int d = 0; d < 3; d++) {
        char* end;
        errno = 0;
        v[d] = strtoul(p, &end, 10);
        if (end == p || errno != 0 || v[d] == 0 || v[d] > 0x7fffffffUL) {
            usage_error(std::string("bad dimensions '") + s + "'");
        }
        if (*end == '\0') {
            return dim3((unsigned int)v[0], (unsigned int)v[1], (unsigned int)v[2]);
        }
        if (*end != ',' || d == 2) {
            usage_error(std::string("bad dimensions '") + s + "'");
        }
        p = end + 1;
    }
    usage_error(std::string("bad dimensions '") + s + "'");
}

struct Buffer {
    std::string path;
    std::vector<unsigned char> original;
    unsigned char* data = nullptr;
    size_t size = 0;
};

void read_buffer(Buffer& b) {
    FILE* f = fopen(b.path.c_str(), "rb");
    if (f == nullptr) {
        io_error("cannot open " + b.path);
    }
    if (fseek(f, 0, SEEK_END) != 0) {
        io_error("cannot seek " + b.path);
    }
    long size = ftell(f);
    if (size < 0 || fseek(f, 0, SEEK_SET) != 0) {
        io_error("cannot size " + b.path);
    }
    b.size = (size_t)size;
    // Exactly the file's size (at least one byte), so a sanitizer build catches any out-of-bounds access.
    b.data = static_cast<unsigned char*>(malloc(b.size == 0 ? 1 : b.size));
    if (b.data == nullptr) {
        io_error("out of memory for " + b.path);
    }
    if (b.size > 0 && fread(b.data, 1, b.size, f) != b.size) {
        io_error("cannot read " + b.path);
    }
    fclose(f);
    b.original.assign(b.data, b.data + b.size);
}

void write_back_if_changed(const Buffer& b) {
    if (b.size == 0 || memcmp(b.original.data(), b.data, b.size) == 0) {
        return;
    }
    FILE* f = fopen(b.path.c_str(), "wb");
    if (f == nullptr || fwrite(b.data, 1, b.size, f) != b.size || fclose(f) != 0) {
        io_error("cannot write " + b.path);
    }
}

template <class T> T parse_integer(const std::string& text, long long lo, unsigned long long hi, bool is_signed) {
    const char* s = text.c_str();
    char* end;
    errno = 0;
    T v;
    if (is_signed) {
        long long x = strtoll(s, &end, 0);
        if (errno != 0 || x < lo || (x > 0 && (unsigned long long)x > hi)) {
            usage_error("integer out of range: " + text);
        }
        v = (T)x;
    } else {
        if (text.empty() || text[0] == '-') {
            usage_error("bad unsigned integer: " + text);
        }
        unsigned long long x = strtoull(s, &end, 0);
        if (errno != 0 || x > hi) {
            usage_error("integer out of range: " + text);
        }
        v = (T)x;
    }
    if (end == s || *end != '\0') {
        usage_error("bad integer: " + text);
    }
    return v;
}

Arg parse_arg(const std::string& a, ParamType expected, std::vector<Buffer>& buffers, size_t position) {
    Arg arg;
    arg.type = expected;
    arg.u64 = 0;
    size_t colon = a.find(':');
    std::string kind = a == "null" ? "null" : a.substr(0, colon);
    std::string value = colon == std::string::npos ? "" : a.substr(colon + 1);
    std::string where = "argument " + std::to_string(position) + " ('" + a + "')";
    bool pointer_kind = kind == "ptr" || kind == "null";
    if ((expected == ParamType::Ptr) != pointer_kind || (!pointer_kind && kind != type_name(expected))) {
        usage_error(where + ": the kernel expects " + type_name(expected));
    }
    char* end = nullptr;
    switch (expected) {
        case ParamType::Ptr:
            if (kind == "null") {
                arg.ptr = nullptr;
            } else {
                // The same file twice is the same buffer, so in-place launches (y == x) alias as on a GPU.
                for (size_t j = 0; j < position; j++) {
                    if (buffers[j].data != nullptr && buffers[j].path == value) {
                        arg.ptr = buffers[j].data;
                        return arg;
                    }
                }
                buffers[position].path = value;
                read_buffer(buffers[position]);
                arg.ptr = buffers[position].data;
            }
            break;
        case ParamType::I32: arg.i32 = parse_integer<int>(value, -2147483648LL, 2147483647ULL, true); break;
        case ParamType::U32: arg.u32 = parse_integer<unsigned int>(value, 0, 4294967295ULL, false); break;
        case ParamType::I64:
            arg.i64 = parse_integer<long long>(value, (-9223372036854775807LL - 1), 9223372036854775807ULL, true);
            break;
        case ParamType::U64: arg.u64 = parse_integer<unsigned long long>(value, 0, ~0ULL, false); break;
        case ParamType::F32:
            arg.f32 = strtof(value.c_str(), &end);
            if (value.empty() || *end != '\0') {
                usage_error(where + ": bad float");
            }
            break;
        case ParamType::F64:
            arg.f64 = strtod(value.c_str(), &end);
            if (value.empty() || *end != '\0') {
                usage_error(where + ": bad double");
            }
            break;
    }
    return arg;
}

int list() {
    for (const KernelEntry& e : registry()) {
        printf("%s %s %s", e.module, e.name, e.barriers ? "barriers" : "nobarriers");
        for (ParamType t : e.params) {
            printf(" %s", type_name(t));
        }
        printf("\n");
    }
    return 0;
}

int run(int argc, char** argv) {
    if (argc < 5) {
        usage_error("usage: kernel-runner run <kernel> <gridX[,Y,Z]> <blockX[,Y,Z]> <arg>...");
    }
    const KernelEntry* kernel = nullptr;
    for (const KernelEntry& e : registry()) {
        if (strcmp(e.name, argv[2]) == 0) {
            kernel = &e;
        }
    }
    if (kernel == nullptr) {
        usage_error(std::string("no kernel named '") + argv[2] + "' (kernel-runner list shows them)");
    }
    dim3 grid = parse_dim3(argv[3]);
    dim3 block = parse_dim3(argv[4]);
    size_t given = (size_t)(argc - 5);
    if (given != kernel->params.size()) {
        usage_error(std::string(kernel->name) + " takes " + std::to_string(kernel->params.size()) +
                    " arguments, got " + std::to_string(given));
    }
    std::vector<Buffer> buffers(given);
    std::vector<Arg> args;
    for (size_t i = 0; i < given; i++) {
        args.push_back(parse_arg(argv[5 + i], kernel->params[i], buffers, i));
    }
    kernel->run(*kernel, grid, block, args);
    for (Buffer& b : buffers) {
        if (b.data != nullptr) {
            write_back_if_changed(b);
            free(b.data);
        }
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc >= 2 && strcmp(argv[1], "list") == 0) {
        return list();
    }
    if (argc >= 2 && strcmp(argv[1], "run") == 0) {
        return run(argc, argv);
    }
    usage_error("usage: kernel-runner list | kernel-runner run <kernel> <grid> <block> <arg>...");
}
