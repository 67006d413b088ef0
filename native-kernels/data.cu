// Batch preparation on the GPU from the uint8 CIFAR-10 images resident in device memory
// (module "data", cuda/ptx/data.ptx).
//
// Kernel (launcher: org.alexnetcuda.kernels.DataKernels):
//   data_prepare_batch(float* out, int* labels_out, const unsigned char* images, const unsigned char* labels,
//                      int count, const int* perm, const int* batch_start, int batch, int size,
//                      const int* crop, const int* flip)
//   Block ELEMENTWISE_BLOCK (256), grid min(ceil(batch * 3 * size * size / 256), ELEMENTWISE_MAX_GRID), no
//   shared memory; one output element per thread per grid-stride iteration. Output writes are consecutive
//   (coalesced); the reads gather from one 3 KiB source image per sample, which the caches hold.
//
// In one pass, for sample k < batch of the batch:
//   idx = perm[*batch_start + k]       (perm null: idx = *batch_start + k; batch_start null: 0)
//   labels_out[k] = labels[idx]        (uint8 -> int32)
//   image idx of `images` ([count x 3072] bytes: R, G, B planes of 32 x 32, row-major) is
//   1. cropped: a 32 x 32 window at (crop[2k], crop[2k+1]) = (top, left), each in [0, 8], of the image
//      zero-padded by 4 pixels on every side (zero in pixel space, i.e. black); crop null: no crop;
//   2. flipped left-right when flip[k] != 0 (flip null: no flip); the flip applies to the cropped image;
//   3. resized to size x size, bilinear as PyTorch F.interpolate(mode="bilinear", align_corners=False):
//        scale = 32.0f / size;  src = max(scale * (dst + 0.5f) - 0.5f, 0);  i0 = min((int)src, 31);
//        i1 = i0 + (i0 < 31);   l1 = clamp(src - i0, 0, 1);  l0 = 1 - l1;
//        v = (p[y0][x0] * lx0 + p[y0][x1] * lx1) * ly0 + (p[y1][x0] * lx0 + p[y1][x1] * lx1) * ly1
//      (PyTorch's CPU evaluation order), on the pixel values 0..255 as floats;
//   4. normalised: out = (v / 255 - mean[c]) / std[c] into out[k][c][y][x] (float NCHW).
// Every augmentation decision is an input (device arrays written by the host per batch), so the GPU batch
// equals the CPU engine's for the same decisions.
//
// batch_start is read from device memory, like the step of Adam and dropout, so a captured graph can
// replay every batch of an epoch with the same arguments.
//
// TODO(data): mirror org.alexnetcuda.data.Preprocessing on branch `data` (not landed when this was written)
// exactly: the crop offset convention, the order crop -> flip -> resize -> normalise, the float operation
// order above and the mean/std literals; then make DataKernelTest compare with it.
#include "common.cuh"

#define CIFAR_SIDE 32
#define CIFAR_PLANE (CIFAR_SIDE * CIFAR_SIDE)
#define CIFAR_IMAGE (3 * CIFAR_PLANE)
#define CROP_PADDING 4

// Per-channel statistics of the CIFAR-10 training set (R, G, B).
static __host__ __device__ __forceinline__ float channel_mean(int c) {
    return c == 0 ? 0.4914f : (c == 1 ? 0.4822f : 0.4465f);
}
static __host__ __device__ __forceinline__ float channel_std(int c) {
    return c == 0 ? 0.2470f : (c == 1 ? 0.2435f : 0.2616f);
}

// Source row/column of output index dst, PyTorch's area_pixel_compute_source_index followed by its
// compute_source_index_and_lambda (align_corners=False, not cubic).
struct BilinearTap {
    int i0, i1;
    float l0, l1;
};

static __host__ __device__ __forceinline__ BilinearTap bilinear_tap(int dst, float scale) {
    float src = scale * ((float)dst + 0.5f) - 0.5f;
    if (src < 0.0f) {
        src = 0.0f;
    }
    BilinearTap t;
    t.i0 = (int)src;
    if (t.i0 > CIFAR_SIDE - 1) {
        t.i0 = CIFAR_SIDE - 1;
    }
    t.i1 = t.i0 + (t.i0 < CIFAR_SIDE - 1 ? 1 : 0);
    float l1 = src - (float)t.i0;
    t.l1 = l1 < 0.0f ? 0.0f : (l1 > 1.0f ? 1.0f : l1);
    t.l0 = 1.0f - t.l1;
    return t;
}

// Pixel (y, x) of one channel plane after crop and flip, as a float; 0 in the padding.
static __host__ __device__ __forceinline__ float augmented_pixel(const unsigned char* plane, int y, int x, int top,
                                                                 int left, bool flip) {
    int sx = flip ? CIFAR_SIDE - 1 - x : x;
    int py = y + top - CROP_PADDING;
    int px = sx + left - CROP_PADDING;
    if (py < 0 || py >= CIFAR_SIDE || px < 0 || px >= CIFAR_SIDE) {
        return 0.0f;
    }
    return (float)plane[py * CIFAR_SIDE + px];
}

static __host__ __device__ __forceinline__ int sample_index(const int* perm, int start, int k) {
    return perm != nullptr ? perm[start + k] : start + k;
}

extern "C" __global__ void data_prepare_batch(float* out, int* labels_out, const unsigned char* images,
                                              const unsigned char* labels, int count, const int* perm,
                                              const int* batch_start, int batch, int size, const int* crop,
                                              const int* flip) {
    const int start = batch_start != nullptr ? *batch_start : 0;
    const long long per_channel = (long long)size * size;
    const long long per_sample = 3 * per_channel;
    const long long total = per_sample * batch;
    const float scale = (float)CIFAR_SIDE / (float)size;
    GRID_STRIDE_LOOP(e, total) {
        if (e < batch) {
            int idx = sample_index(perm, start, (int)e);
            KERNEL_REQUIRE(idx >= 0 && idx < count);
            labels_out[e] = (int)labels[idx];
        }
        const int k = (int)(e / per_sample);
        const long long rem = e - (long long)k * per_sample;
        const int c = (int)(rem / per_channel);
        const int pixel = (int)(rem - (long long)c * per_channel);
        const int oy = pixel / size;
        const int ox = pixel - oy * size;

        const int idx = sample_index(perm, start, k);
        KERNEL_REQUIRE(idx >= 0 && idx < count);
        const unsigned char* plane = images + (long long)idx * CIFAR_IMAGE + c * CIFAR_PLANE;
        const int top = crop != nullptr ? crop[2 * k] : CROP_PADDING;
        const int left = crop != nullptr ? crop[2 * k + 1] : CROP_PADDING;
        const bool flipped = flip != nullptr && flip[k] != 0;

        const BilinearTap ty = bilinear_tap(oy, scale);
        const BilinearTap tx = bilinear_tap(ox, scale);
        float row0 = augmented_pixel(plane, ty.i0, tx.i0, top, left, flipped) * tx.l0 +
                     augmented_pixel(plane, ty.i0, tx.i1, top, left, flipped) * tx.l1;
        float row1 = augmented_pixel(plane, ty.i1, tx.i0, top, left, flipped) * tx.l0 +
                     augmented_pixel(plane, ty.i1, tx.i1, top, left, flipped) * tx.l1;
        float v = row0 * ty.l0 + row1 * ty.l1;
        out[e] = (v / 255.0f - channel_mean(c)) / channel_std(c);
    }
}
