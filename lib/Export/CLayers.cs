namespace TinierHar.Export;

/// <summary>
/// C99 text of the layers that TinyHAR and DeepConvLSTM share, for their exporters to paste into the generated source:
/// the unpadded (5,1) convolution followed by ReLU (and, for TinyHAR, its BatchNorm as a per-channel affine), and one
/// PyTorch LSTM layer. Both read their sizes from arguments except the sensor channels, the macro <c>C_IN</c> that the
/// generated source defines. Only <c>&lt;math.h&gt;</c> is needed.
/// </summary>
public static class CLayers
{
    /// <summary><c>conv5_relu</c>: <c>Conv2d(cin, cout, (5,1), stride (stride,1))</c> without padding → ReLU → optional affine.</summary>
    public const string Conv5Relu = """
        /* Conv2d(cin, cout, (5,1), stride (stride,1)), no padding, then ReLU, then (when scale != 0) the per-channel
         * affine y = x*scale + shift of an eval-mode BatchNorm. w: [cout][cin][5], b: [cout];
         * x: [cin][t_in][C_IN], y: [cout][t_out][C_IN] with t_out = (t_in - 5)/stride + 1. */
        static void conv5_relu(const float *x, float *y, int cin, int cout, int t_in, int stride,
                               const float *w, const float *b, const float *scale, const float *shift)
        {
            const int t_out = (t_in - 5) / stride + 1;
            int co, ci, k, to, c, i;
            for (co = 0; co < cout; co++) {
                float *yo = y + co * t_out * C_IN;
                for (i = 0; i < t_out * C_IN; i++) yo[i] = b[co];
                for (ci = 0; ci < cin; ci++) {
                    for (k = 0; k < 5; k++) {
                        const float wk = w[(co * cin + ci) * 5 + k];
                        const float *xk = x + (ci * t_in + k) * C_IN;
                        for (to = 0; to < t_out; to++)
                            for (c = 0; c < C_IN; c++) yo[to * C_IN + c] += wk * xk[to * stride * C_IN + c];
                    }
                }
                for (i = 0; i < t_out * C_IN; i++) {
                    const float v = yo[i] > 0.0f ? yo[i] : 0.0f;
                    yo[i] = scale ? v * scale[co] + shift[co] : v;
                }
            }
        }


        """;

    /// <summary><c>lstm_layer</c>: one unidirectional PyTorch LSTM layer over a sequence, from zero states.</summary>
    public const string Lstm = """
        static float sigmoidf_(float x) { return 1.0f / (1.0f + expf(-x)); }

        /* One LSTM layer (PyTorch, h0 = c0 = 0), weight rows in gate order i, f, g, o:
         * i = sigmoid(Wii x + bii + Whi h + bhi), f = sigmoid(Wif x + bif + Whf h + bhf), g = tanh(Wig x + big + Whg h + bhg),
         * o = sigmoid(Wio x + bio + Who h + bho), c = f*c + i*g, h = o*tanh(c).
         * seq: [steps][n_in]; out: [steps][hidden], or 0 to keep only the last state (h). h, c: [hidden]; gates: [4*hidden]. */
        static void lstm_layer(const float *seq, float *out, int steps, int n_in, int hidden,
                               const float *w_ih, const float *w_hh, const float *b_ih, const float *b_hh,
                               float *h, float *c, float *gates)
        {
            int t, j, i;
            for (j = 0; j < hidden; j++) { h[j] = 0.0f; c[j] = 0.0f; }
            for (t = 0; t < steps; t++) {
                const float *x = seq + t * n_in;
                for (j = 0; j < 4 * hidden; j++) {
                    float a = b_ih[j], b = b_hh[j];
                    for (i = 0; i < n_in; i++) a += w_ih[j * n_in + i] * x[i];
                    for (i = 0; i < hidden; i++) b += w_hh[j * hidden + i] * h[i];
                    gates[j] = a + b;
                }
                for (j = 0; j < hidden; j++) {
                    const float ig = sigmoidf_(gates[j]);
                    const float fg = sigmoidf_(gates[hidden + j]);
                    const float gg = tanhf(gates[2 * hidden + j]);
                    const float og = sigmoidf_(gates[3 * hidden + j]);
                    c[j] = fg * c[j] + ig * gg;
                    h[j] = og * tanhf(c[j]);
                    if (out) out[t * hidden + j] = h[j];
                }
            }
        }


        """;
}
