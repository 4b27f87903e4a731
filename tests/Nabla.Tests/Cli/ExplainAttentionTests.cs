using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Nabla.Examples;
using Nabla.Explain.Attention;
using Nabla.Tests.Readme;

namespace Nabla.Tests.Cli;

/// <summary>
/// <c>nabla explain --example attention</c>: every printed matrix against <see cref="AttentionReference"/> (plain loops
/// from the definitions, its gradients confirmed by its own central differences), the exact zeros of the causal head,
/// the check line, the JSON numbers, and README's transcript.
/// </summary>
public sealed class ExplainAttentionTests
{
    // A printed entry has 4 decimals: it is within half a unit of the 4th decimal of the true value.
    private const double Printed = 0.5e-4 + 1e-12;

    private static readonly AttentionReference Full = new(causal: false), Causal = new(causal: true);

    private static string Run(params string[] format)
    {
        var (exit, stdout, stderr) = CliRunner.Run(["explain", "--example", "attention", .. format]);
        Assert.True(exit == 0, stderr);
        Assert.Equal("", stderr);
        return stdout;
    }

    [Fact]
    public void The_reference_gradients_match_its_own_central_differences()
    {
        foreach (var (r, causal) in new[] { (Full, false), (Causal, true) })
        {
            var (dq, dk, dv) = AttentionReference.Differences(causal);
            Close(dq, r.DQ, 1e-6);
            Close(dk, r.DK, 1e-6);
            Close(dv, r.DV, 1e-6);
        }
    }

    [Fact]
    public void The_forward_pass_prints_the_scores_the_softmax_rows_and_their_sums()
    {
        string text = Run();
        Close(AttentionReference.Q, Block(text, "Q (queries)"), 0);
        Close(AttentionReference.K, Block(text, "K (keys)"), 0);
        Close(AttentionReference.V, Block(text, "V (values)"), 0);
        Close(AttentionReference.T, Block(text, "T (target)"), 0);
        Close(Full.S, Block(text, "S = Q·Kᵀ/√2"), Printed);
        Close(Full.P, Block(text, "P = softmax(S)"), Printed);
        Close(Column(Full.RowSums), Block(text, "Σ_j P[i,j]"), Printed);
        Close(Full.O, Block(text, "O = P·V"), Printed);
        for (int i = 0; i < 3; i++)
        {
            var row = Regex.Match(text, $@"row {i}: exp\(S\[{i},:\]\) = \[([^\]]*)\], Σ = (\S+)");
            Assert.True(row.Success, text);
            var exps = Numbers(row.Groups[1].Value.Replace(",", " "));
            for (int j = 0; j < 3; j++) Assert.Equal(Math.Exp(Full.S[i, j]), exps[j], Printed);
            Assert.Equal(Full.ExpSums[i], Number(row.Groups[2].Value), Printed);
        }
        Assert.Equal(Full.Loss, Number(Regex.Match(text, @"L = ½‖O − T‖² = ½·Σ \(O − T\)² = (\S+)").Groups[1].Value), Printed);
        Assert.Contains("S[0,1] = (1·2 + 0·(-1))/√2 = " + Full.S[0, 1].ToString("F4", CultureInfo.InvariantCulture), text);
    }

    [Fact]
    public void The_backward_pass_writes_out_the_softmax_Jacobian_and_the_shortcut_it_equals()
    {
        string text = Run();
        Close(Full.DO, Block(text, "dO = O − T"), Printed);
        Close(Full.DV, Block(text, "dV = Pᵀ·dO"), Printed);
        Close(Full.DP, Block(text, "dP = dO·Vᵀ"), Printed);
        var jacobian = Full.Jacobian(0);
        Close(jacobian, Block(text, "J = diag(p) − p·pᵀ"), Printed);
        var dp = new double[3, 1];
        var jdp = new double[3, 1];
        for (int j = 0; j < 3; j++)
        {
            dp[j, 0] = Full.DP[0, j];
            for (int k = 0; k < 3; k++) jdp[j, 0] += jacobian[j, k] * Full.DP[0, k];
            // The chain rule through the Jacobian and the shortcut give the same row of dS.
            Assert.Equal(Full.DS[0, j], jdp[j, 0], 1e-15);
        }
        Close(dp, Block(text, "dp"), Printed);
        Close(jdp, Block(text, "J·dp"), Printed);
        Close(Column(Full.C), Block(text, "c"), Printed);
        Close(Full.DS, Block(text, "dS = P ⊙ (dP − c)"), Printed);
        Close(new double[3, 1], Block(text, "Σ_j dS[i,j]"), Printed);
        Close(Full.DQ, Block(text, "dQ = dS·K/√2"), Printed);
        Close(Full.DK, Block(text, "dK = dSᵀ·Q/√2"), Printed);
    }

    [Fact]
    public void The_causal_head_prints_minus_infinity_and_exact_zeros()
    {
        string text = Run();
        var scores = Block(text, "S (masked)");
        Close(Causal.S, scores, Printed);
        var p = Tokens(text, "P = softmax(S)", occurrence: 1);
        var ds = Tokens(text, "dS = P ⊙ (dP − c)", occurrence: 1);
        for (int i = 0; i < 3; i++)
            for (int j = i + 1; j < 3; j++)
            {
                Assert.Equal(double.NegativeInfinity, scores[i, j]);
                Assert.Equal("0", p[i][j]);
                Assert.Equal("0", ds[i][j]);
            }
        Assert.Equal(new[] { "0", "0", "0" }, ds[0]);
        Close(Causal.P, Block(text, "P = softmax(S)", occurrence: 1), Printed);
        Close(Causal.O, Block(text, "O = P·V", occurrence: 1), Printed);
        Close(Causal.DP, Block(text, "dP = dO·Vᵀ", occurrence: 1), Printed);
        Close(Causal.DS, Block(text, "dS = P ⊙ (dP − c)", occurrence: 1), Printed);
        Assert.Equal(Causal.Loss, Number(Regex.Match(text, @"\n  L = ½‖O − T‖² = (\S+)\n").Groups[1].Value), Printed);
    }

    [Fact]
    public void Every_gradient_is_printed_three_ways_and_the_last_line_says_they_agree()
    {
        string text = Run();
        int occurrence = 0;
        foreach (var r in new[] { Full, Causal })
        {
            foreach (var (name, expected) in new[] { ("dQ", r.DQ), ("dK", r.DK), ("dV", r.DV) })
                foreach (var route in new[] { "formula", "engine", "central differences" })
                    Close(expected, Block(text, $"{name} {route}", occurrence), Printed);
            occurrence++;
        }
        Assert.EndsWith("  All agree: engine and formulas to 1e-12, J·dp and the shortcut to 1e-12, central differences (h = 1e-6) to 1e-6.\n", text);
    }

    [Fact]
    public void Json_holds_the_same_numbers_in_full()
    {
        using var doc = JsonDocument.Parse(Run("--format", "json"));
        var root = doc.RootElement;
        Assert.Equal("attention", root.GetProperty("example").GetString());
        Close(AttentionReference.Q, Matrix(root, "Q"), 0);
        Close(AttentionReference.T, Matrix(root, "T"), 0);
        foreach (var (r, name) in new[] { (Full, "full"), (Causal, "causal") })
        {
            var head = root.GetProperty("heads").GetProperty(name);
            foreach (var (field, expected) in new[] { ("S", r.S), ("P", r.P), ("O", r.O), ("dO", r.DO), ("dV", r.DV), ("dP", r.DP), ("dS", r.DS), ("dQ", r.DQ), ("dK", r.DK) })
                Close(expected, Matrix(head, field), 1e-12);
            Close(Column(r.C), Column([.. head.GetProperty("c").EnumerateArray().Select(Value)]), 1e-12);
            Assert.Equal(r.Loss, head.GetProperty("loss").GetDouble(), 1e-12);
            Assert.Equal(r.Loss, head.GetProperty("engine").GetProperty("loss").GetDouble(), 1e-12);
            foreach (var (field, expected) in new[] { ("dQ", r.DQ), ("dK", r.DK), ("dV", r.DV) })
            {
                Close(expected, Matrix(head.GetProperty("engine"), field), 1e-12);
                Close(expected, Matrix(head.GetProperty("central_differences"), field), 1e-6);
            }
            Assert.True(head.GetProperty("max_engine_error").GetDouble() <= 1e-12);
            Assert.True(head.GetProperty("passed").GetBoolean());
        }
        Assert.Equal("-Infinity", root.GetProperty("heads").GetProperty("causal").GetProperty("S")[0][2].GetString());
        Close(Full.Jacobian(0), Matrix(root.GetProperty("jacobian"), "J"), 1e-15);
        Assert.True(root.GetProperty("passed").GetBoolean());
    }

    [Fact]
    public void Markdown_puts_the_same_lines_under_headings_in_text_blocks()
    {
        string text = Run(), markdown = Run("--format", "markdown");
        Assert.StartsWith("## Explaining one attention head", markdown);
        foreach (var heading in new[] { "Inputs", "Forward pass", "Backward pass, in matrix form", "With the causal mask: query i sees keys j ≤ i only" })
            Assert.Contains($"### {heading}\n\n```text\n", markdown);
        var lines = markdown.Split('\n').ToHashSet();
        foreach (var line in text.Split('\n').Where(l => l.StartsWith("  ", StringComparison.Ordinal)))
            Assert.Contains(line, lines);
    }

    [Fact]
    public void Latex_is_refused_with_the_formats_it_has()
    {
        var (exit, stdout, stderr) = CliRunner.Run("explain", "--example", "attention", "--format", "latex");
        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Contains("--example attention is explained as text, markdown or json", stderr);
    }

    [Fact]
    public void A_head_refuses_shapes_that_do_not_fit_and_a_row_outside_P()
    {
        var q = new Matrix(3, 2, new double[6]);
        var error = Assert.Throws<NablaException>(() => AttentionHead.Compute(q, new Matrix(3, 3, new double[9]), q, q, causal: false));
        Assert.Contains("K [3, 3]", error.Message);
        Assert.Contains("K needs Q's columns", error.Message);
        var head = AttentionHead.Compute(q, q, q, q, causal: true);
        var row = Assert.Throws<NablaArgumentException>(() => head.SoftmaxJacobian(3));
        Assert.Contains("row is 3, outside the 3 rows of P", row.Message);
    }

    [Fact]
    public void README_shows_what_the_command_prints()
    {
        var block = ReadmeDocument.Load().Blocks.Single(b => b.Lines.Length > 0 && b.Lines[0] == "$ nabla explain --example attention");
        Assert.Equal(block.Lines[1..], Run().TrimEnd('\n').Split('\n'));
    }

    // The matrix printed under `title` (its `occurrence`-th appearance as a column title): the rows below it start
    // with "[" in the title's column.
    private static double[,] Block(string text, string title, int occurrence = 0)
    {
        var rows = Tokens(text, title, occurrence);
        var m = new double[rows.Count, rows[0].Length];
        for (int i = 0; i < rows.Count; i++)
            for (int j = 0; j < rows[i].Length; j++) m[i, j] = Number(rows[i][j]);
        return m;
    }

    private static List<string[]> Tokens(string text, string title, int occurrence)
    {
        var lines = text.Split('\n');
        int seen = 0;
        for (int l = 0; l < lines.Length; l++)
        {
            int column = Regex.Match(lines[l], $@"(?<=^ *|  ){Regex.Escape(title)}(?=  |$)").Index;
            bool titled = column > 0 && l + 1 < lines.Length && lines[l + 1].Length > column && lines[l + 1][column] == '[';
            if (!titled || seen++ != occurrence) continue;
            var rows = new List<string[]>();
            for (int r = l + 1; r < lines.Length && lines[r].Length > column && lines[r][column] == '['; r++)
            {
                string row = lines[r][(column + 1)..];
                rows.Add(row[..row.IndexOf(']', StringComparison.Ordinal)].Split(' ', StringSplitOptions.RemoveEmptyEntries));
            }
            Assert.True(rows.Count > 0, $"no matrix under '{title}'");
            return rows;
        }
        Assert.Fail($"the output has no matrix titled '{title}' (occurrence {occurrence}):\n{text}");
        return [];
    }

    private static double Number(string s) => s == "-∞" ? double.NegativeInfinity : double.Parse(s, CultureInfo.InvariantCulture);
    private static double[] Numbers(string s) => [.. s.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(Number)];
    private static double Value(JsonElement e) => e.ValueKind == JsonValueKind.String ? double.Parse(e.GetString()!, CultureInfo.InvariantCulture) : e.GetDouble();

    private static double[,] Matrix(JsonElement parent, string property)
    {
        var rows = parent.GetProperty(property).EnumerateArray().Select(r => r.EnumerateArray().Select(Value).ToArray()).ToArray();
        var m = new double[rows.Length, rows[0].Length];
        for (int i = 0; i < rows.Length; i++)
            for (int j = 0; j < rows[i].Length; j++) m[i, j] = rows[i][j];
        return m;
    }

    private static double[,] Column(double[] v)
    {
        var m = new double[v.Length, 1];
        for (int i = 0; i < v.Length; i++) m[i, 0] = v[i];
        return m;
    }

    private static void Close(double[,] expected, double[,] actual, double tolerance)
    {
        Assert.Equal(expected.GetLength(0), actual.GetLength(0));
        Assert.Equal(expected.GetLength(1), actual.GetLength(1));
        for (int i = 0; i < expected.GetLength(0); i++)
            for (int j = 0; j < expected.GetLength(1); j++)
            {
                double e = expected[i, j], a = actual[i, j];
                Assert.True(e == a || Math.Abs(e - a) <= tolerance, $"[{i},{j}]: expected {e:R}, printed {a:R} (tolerance {tolerance:R})");
            }
    }
}
