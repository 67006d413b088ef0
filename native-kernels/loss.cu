// Softmax cross-entropy with the mean loss over the batch (module "loss", cuda/ptx/loss.ptx).
//
// Kernels (launcher: org.alexnetcuda.kernels.SoftmaxCrossEntropyKernels):
//   softmax_xent_forward_backward(float* dlogits, float* sample_loss, int* sample_correct,
//                                 const float* logits, const int* labels, int n, int classes)
//       Block per sample: block LOSS_BLOCK (128; any power of two up to 128 works), grid min(n, 65535),
//       samples block-strided; static shared memory 1 KiB. For sample s (logits row-major [n x classes]):
//         sample_loss[s]    = log(sum_j exp(z_j - max)) - (z_label - max)     (max subtracted: no overflow)
//         sample_correct[s] = argmax_j z_j == label ? 1 : 0                    (ties go to the first index)
//         dlogits[s, j]     = (softmax_j - onehot_j) / n, the gradient of the batch-mean loss
//       dlogits may be null (evaluation: loss and accuracy only). The threads of a block stride over the
//       classes (consecutive threads read consecutive logits) and combine by shared-memory tree reductions.
//   loss_accumulate(double* totals, const float* sample_loss, const int* sample_correct, int n)
//       grid 1, block ACCUMULATE_BLOCK (256; any power of two up to 256 works), static shared memory 3 KiB.
//       Reduces the batch's per-sample values and adds them to the device-resident totals:
//         totals[0] += sum of sample losses      totals[1] += correct predictions
//         totals[2] += n (samples)               totals[3] += mean loss of this batch
//         totals[4] += 1 (batches)
//       so the host reads five doubles once per epoch: mean loss per sample (totals[0] / totals[2]),
//       accuracy (totals[1] / totals[2]) and the notebook's mean of batch losses (totals[3] / totals[4]).
//
// No atomics: each sample's reduction is one block's, the batch's is one block's, and only thread 0 of
// the single accumulating block writes the totals, so the sums are deterministic (same order every run).
// The totals are double: a float running sum over an epoch (50,000 losses, 782 batch means) would round
// every addition at about 1e-7 of the growing total; in double the epoch sums are exact to ~1e-16 and the
// counts stay exact integers far beyond any dataset size. FP64 cost is irrelevant for one block per batch.
// The per-sample arithmetic is float; the tree sums make the order differ from a sequential loop, so the
// Java reference is matched to a tolerance, not bit for bit (expf/logf also differ by an ulp).
#include "common.cuh"

#define LOSS_BLOCK 128
#define ACCUMULATE_BLOCK 256

// (value, index) of the larger; on equal values the smaller index, so argmax ties go to the first class.
// NaN never wins a comparison, so NaN logits are skipped (the loss itself still becomes NaN).
static __host__ __device__ __forceinline__ bool argmax_better(float v, int i, float best, int best_i) {
    return v > best || (v == best && i < best_i);
}

extern "C" __global__ void softmax_xent_forward_backward(float* dlogits, float* sample_loss, int* sample_correct,
                                                         const float* logits, const int* labels, int n,
                                                         int classes) {
    __shared__ float s_val[LOSS_BLOCK];
    __shared__ int s_idx[LOSS_BLOCK];
    const unsigned int tid = threadIdx.x;
    const unsigned int threads = blockDim.x;
    KERNEL_REQUIRE(threads <= LOSS_BLOCK && (threads & (threads - 1)) == 0);

    BLOCK_STRIDE_LOOP(s, n) {
        const float* z = logits + (long long)s * classes;
        const int label = labels[s];

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
        s_val[tid] = best;
        s_idx[tid] = best_i;
        __syncthreads();
        for (unsigned int stride = threads / 2; stride > 0; stride /= 2) {
            if (tid < stride && argmax_better(s_val[tid + stride], s_idx[tid + stride], s_val[tid], s_idx[tid])) {
                s_val[tid] = s_val[tid + stride];
                s_idx[tid] = s_idx[tid + stride];
            }
            __syncthreads();
        }
        const float zmax = s_val[0];
        const int argmax = s_idx[0];
        __syncthreads();  // everyone has read s_val[0] before the sum below overwrites it

        // Sum of exp(z - max): every term is in (0, 1], the largest exactly 1.
        float sum = 0.0f;
        for (int j = (int)tid; j < classes; j += (int)threads) {
            sum += expf(z[j] - zmax);
        }
        s_val[tid] = sum;
        __syncthreads();
        for (unsigned int stride = threads / 2; stride > 0; stride /= 2) {
            if (tid < stride) {
                s_val[tid] += s_val[tid + stride];
            }
            __syncthreads();
        }
        const float total = s_val[0];

        if (dlogits != nullptr) {
            float* d = dlogits + (long long)s * classes;
            for (int j = (int)tid; j < classes; j += (int)threads) {
                float softmax = expf(z[j] - zmax) / total;
                d[j] = (softmax - (j == label ? 1.0f : 0.0f)) / (float)n;
            }
        }
        if (tid == 0) {
            bool valid = label >= 0 && label < classes;
            sample_loss[s] = valid ? logf(total) - (z[valid ? label : 0] - zmax) : NAN;
            sample_correct[s] = argmax == label ? 1 : 0;
        }
        __syncthreads();  // s_val[0] is read by all before the next sample reuses the arrays
    }
}

extern "C" __global__ void loss_accumulate(double* totals, const float* sample_loss, const int* sample_correct,
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
        loss += (double)sample_loss[i];
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
