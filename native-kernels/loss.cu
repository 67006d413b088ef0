// Softmax cross-entropy with the mean loss over the batch (module "loss", cuda/ptx/loss.ptx).
//
// Kernels (launcher: org.alexnetcuda.kernels.SoftmaxCrossEntropyKernels):
//   softmax_xent_forward_backward(float* dlogits, double* sample_loss, int* sample_correct,
//                                 const float* logits, const int* labels, int n, int classes)
//       Block per sample: block LOSS_BLOCK (128; any power of two up to 128 works), grid min(n, 65535),
//       samples block-strided; static shared memory 2 KiB. For sample s (logits z row-major [n x classes]):
//         max               = max_j z_j,  lse = max + log(sum_j exp(z_j - max))   (no overflow: terms <= 1)
//         sample_loss[s]    = lse - z_label
//         sample_correct[s] = argmax_j z_j == label ? 1 : 0                (argmax_better's order, see below)
//         dlogits[s, j]     = (float)((exp(z_j - lse) - onehot_j) / n), the gradient of the batch-mean loss
//       A label outside [0, classes) traps (KERNEL_REQUIRE), as in confusion_accumulate.
//       dlogits may be null (evaluation: loss and accuracy only). The threads of a block stride over the
//       classes (consecutive threads read consecutive logits) and combine by shared-memory tree reductions.
//   loss_accumulate(double* totals, const double* sample_loss, const int* sample_correct, int n)
//       grid 1, block ACCUMULATE_BLOCK (256; any power of two up to 256 works), static shared memory 3 KiB.
//       Reduces the batch's per-sample values and adds them to the device-resident totals:
//         totals[0] += sum of sample losses      totals[1] += correct predictions
//         totals[2] += n (samples)               totals[3] += mean loss of this batch
//         totals[4] += 1 (batches)
//       so the host reads five doubles once per epoch: mean loss per sample (totals[0] / totals[2]),
//       accuracy (totals[1] / totals[2]) and the notebook's mean of batch losses (totals[3] / totals[4]).
//
// As org.alexnetcuda.math.SoftmaxCrossEntropy, the per-sample sums, logs and exps run in double on
// float logits, and only the gradient is rounded to float, once. The only differences from the CPU engine
// are the order of the sum over classes (a tree here) and the last ulp of exp/log in double, about 1e-16
// relative, so losses agree to ~1e-15 and gradients to the float rounding (almost always bit for bit).
// FP64 costs nothing that matters here: 10 classes x 64 samples per step.
//
// No atomics: each sample's reduction is one block's, the batch's is one block's, and only thread 0 of
// the single accumulating block writes the totals, so the sums are deterministic (same order every run).
// The totals are double: a float running sum over an epoch (50,000 losses, 782 batch means) would round
// every addition at about 1e-7 of the growing total; in double the epoch sums are exact to ~1e-16 and the
// counts stay exact integers far beyond any dataset size.
#include "common.cuh"

#define LOSS_BLOCK 128
#define ACCUMULATE_BLOCK 256

// One rule for the prediction in both kernels, the CPU engine's (SoftmaxCrossEntropy.argmax) and torch.argmax's:
// NaN ranks above every number, so a row with a NaN predicts its first NaN; otherwise the larger value wins and
// equal values go to the smaller index. A total order, so the tree reduction and the sequential scan agree.
// (v != v is the NaN test: nvcc and g++ build without fast-math.)
static __host__ __device__ __forceinline__ bool argmax_better(float v, int i, float best, int best_i) {
    const bool v_nan = v != v;
    const bool best_nan = best != best;
    if (v_nan || best_nan) {
        return v_nan && (!best_nan || i < best_i);
    }
    return v > best || (v == best && i < best_i);
}

extern "C" __global__ void softmax_xent_forward_backward(float* dlogits, double* sample_loss, int* sample_correct,
                                                         const float* logits, const int* labels, int n,
                                                         int classes) {
    __shared__ float s_max[LOSS_BLOCK];
    __shared__ int s_idx[LOSS_BLOCK];
    __shared__ double s_sum[LOSS_BLOCK];
    const unsigned int tid = threadIdx.x;
    const unsigned int threads = blockDim.x;
    KERNEL_REQUIRE(threads <= LOSS_BLOCK && (threads & (threads - 1)) == 0);

    BLOCK_STRIDE_LOOP(s, n) {
        const float* z = logits + (long long)s * classes;
        const int label = labels[s];
        KERNEL_REQUIRE(label >= 0 && label < classes);

        // Max and argmax over the classes.
        float best = -INFINITY;
        int best_i = 0x7fffffff;
        for (int j = (int)tid; j < classes; j += (int)threads) {
            float v = z[j];
            if (argmax_better(v, j, best, best_i)) {
                best = v;
                best_i = j;
            }
        }
        s_max[tid] = best;
        s_idx[tid] = best_i;
        __syncthreads();
        for (unsigned int stride = threads / 2; stride > 0; stride /= 2) {
            if (tid < stride && argmax_better(s_max[tid + stride], s_idx[tid + stride], s_max[tid], s_idx[tid])) {
                s_max[tid] = s_max[tid + stride];
                s_idx[tid] = s_idx[tid + stride];
            }
            __syncthreads();
        }
        const double zmax = (double)s_max[0];
        const int argmax = s_idx[0];

        // Sum of exp(z - max) in double: every term is in (0, 1], the largest exactly 1.
        double sum = 0.0;
        for (int j = (int)tid; j < classes; j += (int)threads) {
            sum += exp((double)z[j] - zmax);
        }
        s_sum[tid] = sum;
        __syncthreads();
        for (unsigned int stride = threads / 2; stride > 0; stride /= 2) {
            if (tid < stride) {
                s_sum[tid] += s_sum[tid + stride];
            }
            __syncthreads();
        }
        const double lse = zmax + log(s_sum[0]);

        if (dlogits != nullptr) {
            float* d = dlogits + (long long)s * classes;
            for (int j = (int)tid; j < classes; j += (int)threads) {
                double p = exp((double)z[j] - lse);
                d[j] = (float)((j == label ? p - 1.0 : p) / (double)n);
            }
        }
        if (tid == 0) {
            sample_loss[s] = lse - (double)z[label];
            sample_correct[s] = argmax == label ? 1 : 0;
        }
        __syncthreads();  // all have read s_max[0], s_idx[0] and s_sum[0] before the next sample reuses them
    }
}

extern "C" __global__ void loss_accumulate(double* totals, const double* sample_loss, const int* sample_correct,
                                           int n) {
    __shared__ double s_loss[ACCUMULATE_BLOCK];
    __shared__ int s_correct[ACCUMULATE_BLOCK];
    const unsigned int tid = threadIdx.x;
    const unsigned int threads = blockDim.x;
    KERNEL_REQUIRE(threads <= ACCUMULATE_BLOCK && (threads & (threads - 1)) == 0);
    if (blockIdx.x != 0) {
        return;  // one block does the whole batch; extra blocks (a launcher bug) must not add twice
    }
    double loss = 0.0;
    int correct = 0;
    for (int i = (int)tid; i < n; i += (int)threads) {
        loss += sample_loss[i];
        correct += sample_correct[i];
    }
    s_loss[tid] = loss;
    s_correct[tid] = correct;
    __syncthreads();
    for (unsigned int stride = threads / 2; stride > 0; stride /= 2) {
        if (tid < stride) {
            s_loss[tid] += s_loss[tid + stride];
            s_correct[tid] += s_correct[tid + stride];
        }
        __syncthreads();
    }
    if (tid == 0 && n > 0) {
        totals[0] += s_loss[0];
        totals[1] += (double)s_correct[0];
        totals[2] += (double)n;
        totals[3] += s_loss[0] / (double)n;
        totals[4] += 1.0;
    }
}

// confusion_accumulate(double* confusion, const float* logits, const int* labels, int n, int classes)
//   grid 1, block 1: confusion[label * classes + argmax_j z_j] += 1 for each of the n samples, argmax in
//   argmax_better's order (as the loss kernel's and the CPU engine's); a label outside [0, classes) traps. One thread walks the batch (at most
//   a few hundred samples of 10 classes per evaluation batch): no atomics, the same order every run, and the
//   counts are exact integers in double. The host reads the classes x classes matrix once per evaluation.
extern "C" __global__ void confusion_accumulate(double* confusion, const float* logits, const int* labels, int n,
                                                int classes) {
    if (blockIdx.x != 0 || threadIdx.x != 0) {
        return;
    }
    for (int s = 0; s < n; s++) {
        const float* z = logits + (long long)s * classes;
        const int label = labels[s];
        KERNEL_REQUIRE(label >= 0 && label < classes);
        int best = 0;
        for (int j = 1; j < classes; j++) {
            if (argmax_better(z[j], j, z[best], best)) {
                best = j;
            }
        }
        confusion[(long long)label * classes + best] += 1.0;
    }
}
