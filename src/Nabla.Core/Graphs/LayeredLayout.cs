namespace Nabla.Graphs;

/// <summary>A point in drawing coordinates (pixels, y down).</summary>
public readonly record struct Point(double X, double Y);

/// <summary>Where a node is drawn: its top-left corner and size.</summary>
public readonly record struct NodeBox(double X, double Y, double Width, double Height)
{
    /// <summary>The y coordinate of the box's middle: Y + Height / 2.</summary>
    public double CenterY => Y + Height / 2;
}

/// <summary>A layout: a box per node (indexed by node id), a route per edge (same order as the graph's edges), and the drawing's size.</summary>
public sealed record GraphLayout(IReadOnlyList<NodeBox> Boxes, IReadOnlyList<IReadOnlyList<Point>> Routes, double Width, double Height);

/// <summary>
/// A layered (Sugiyama-style) layout of a DAG, flowing left to right:
/// 1. layers by longest path from the sources (a leaf then moves right to just before its first user, so
///    a parameter sits next to the operation that uses it);
/// 2. an edge spanning several layers gets a dummy node in each layer it crosses;
/// 3. a few barycenter sweeps (down, then up) order each layer to reduce crossings, keeping the order
///    with the fewest crossings seen;
/// 4. layers are placed side by side, nodes stacked and centred in each, and every edge is routed from
///    its source's right side through its dummies to a port on its target's left side (one port per input).
/// </summary>
public static class LayeredLayout
{
    /// <summary>Horizontal space between adjacent layers, in pixels.</summary>
    public const double LayerGap = 56;

    /// <summary>Vertical space between boxes stacked in one layer, in pixels.</summary>
    public const double NodeGap = 18;

    /// <summary>The height a dummy node (an edge passing through a layer) takes up, in pixels.</summary>
    public const double DummyHeight = 8;

    /// <summary>Space around the whole drawing, in pixels.</summary>
    public const double Margin = 16;

    private const int Sweeps = 4;

    /// <param name="graph">The graph; node ids are in topological order.</param>
    /// <param name="size">Width and height of each node's box.</param>
    public static GraphLayout Compute(ComputationGraph graph, Func<GraphNode, (double Width, double Height)> size)
    {
        int n = graph.Nodes.Count;
        var inputs = new List<int>[n];
        var users = new List<int>[n];
        for (int i = 0; i < n; i++) { inputs[i] = []; users[i] = []; }
        foreach (var e in graph.Edges) { inputs[e.To].Add(e.From); users[e.From].Add(e.To); }

        // 1. Longest-path layers; leaves pulled right to just before their first user.
        var layer = new int[n];
        for (int i = 0; i < n; i++) layer[i] = inputs[i].Count == 0 ? 0 : 1 + inputs[i].Max(j => layer[j]);
        for (int i = 0; i < n; i++)
            if (inputs[i].Count == 0 && users[i].Count > 0) layer[i] = users[i].Min(j => layer[j]) - 1;

        // 2. Virtual vertices: the nodes, then dummies; virtual edges join adjacent layers only.
        var vLayer = new List<int>(layer);
        var up = new List<List<int>>(); // neighbours in the layer to the left
        var down = new List<List<int>>(); // neighbours in the layer to the right
        for (int i = 0; i < n; i++) { up.Add([]); down.Add([]); }
        var chains = new List<List<int>>(); // per edge: the virtual vertices from source to target
        foreach (var e in graph.Edges)
        {
            var chain = new List<int> { e.From };
            for (int l = layer[e.From] + 1; l < layer[e.To]; l++)
            {
                vLayer.Add(l);
                up.Add([]);
                down.Add([]);
                chain.Add(vLayer.Count - 1);
            }
            chain.Add(e.To);
            for (int k = 0; k + 1 < chain.Count; k++) { down[chain[k]].Add(chain[k + 1]); up[chain[k + 1]].Add(chain[k]); }
            chains.Add(chain);
        }

        // 3. Order each layer: start in id order, then barycenter sweeps.
        int layers = n == 0 ? 0 : vLayer.Max() + 1;
        var order = Enumerable.Range(0, layers).Select(_ => new List<int>()).ToList();
        for (int v = 0; v < vLayer.Count; v++) order[vLayer[v]].Add(v);
        var position = new double[vLayer.Count];
        void Number() { foreach (var row in order) for (int p = 0; p < row.Count; p++) position[row[p]] = p; }
        Number();
        var best = order.Select(r => r.ToList()).ToList();
        long bestCrossings = Crossings(order, down, position);
        for (int sweep = 0; sweep < Sweeps; sweep++)
        {
            for (int l = 1; l < layers; l++) Sort(order[l], up, position);
            for (int l = layers - 2; l >= 0; l--) Sort(order[l], down, position);
            long crossings = Crossings(order, down, position);
            if (crossings < bestCrossings) { bestCrossings = crossings; best = order.Select(r => r.ToList()).ToList(); }
        }
        order = best;
        Number();

        // 4. Coordinates.
        var width = new double[vLayer.Count];
        var height = new double[vLayer.Count];
        for (int v = 0; v < vLayer.Count; v++)
            (width[v], height[v]) = v < n ? size(graph.Nodes[v]) : (0, DummyHeight);
        var columnWidth = order.Select(row => row.Count == 0 ? 0 : row.Max(v => width[v])).ToList();
        var columnHeight = order.Select(row => row.Sum(v => height[v]) + NodeGap * Math.Max(0, row.Count - 1)).ToList();
        double tallest = columnHeight.Count == 0 ? 0 : columnHeight.Max();
        var x = new double[vLayer.Count];
        var y = new double[vLayer.Count];
        double left = Margin;
        for (int l = 0; l < layers; l++)
        {
            double top = Margin + (tallest - columnHeight[l]) / 2;
            foreach (var v in order[l])
            {
                x[v] = left + (columnWidth[l] - width[v]) / 2;
                y[v] = top;
                top += height[v] + NodeGap;
            }
            left += columnWidth[l] + LayerGap;
        }

        var boxes = Enumerable.Range(0, n).Select(i => new NodeBox(x[i], y[i], width[i], height[i])).ToList();
        var routes = new List<IReadOnlyList<Point>>(graph.Edges.Count);
        for (int k = 0; k < graph.Edges.Count; k++)
        {
            var e = graph.Edges[k];
            var chain = chains[k];
            var points = new List<Point> { new(x[e.From] + width[e.From], y[e.From] + height[e.From] / 2) };
            for (int c = 1; c + 1 < chain.Count; c++) points.Add(new(x[chain[c]], y[chain[c]] + DummyHeight / 2));
            int ports = inputs[e.To].Count;
            points.Add(new(x[e.To], y[e.To] + height[e.To] * (e.InputIndex + 1) / (ports + 1)));
            routes.Add(points);
        }
        return new GraphLayout(boxes, routes, left - LayerGap + Margin, tallest + 2 * Margin);
    }

    // Reorders a layer by the mean position of each vertex's neighbours in the adjacent layer; a vertex with none keeps its place.
    private static void Sort(List<int> row, List<List<int>> neighbours, double[] position)
    {
        var key = row.ToDictionary(v => v, v => neighbours[v].Count == 0 ? position[v] : neighbours[v].Average(u => position[u]));
        var sorted = row.Select((v, i) => (v, i)).OrderBy(p => key[p.v]).ThenBy(p => p.i).Select(p => p.v).ToList();
        row.Clear();
        row.AddRange(sorted);
        for (int p = 0; p < row.Count; p++) position[row[p]] = p;
    }

    // Edge crossings between adjacent layers: inversions among the edges sorted by source position.
    private static long Crossings(List<List<int>> order, List<List<int>> down, double[] position)
    {
        long total = 0;
        foreach (var row in order)
        {
            var targets = row.OrderBy(v => position[v]).SelectMany(v => down[v].Select(t => position[t]).Order()).ToArray();
            total += Inversions(targets);
        }
        return total;
    }

    // Pairs i < j with a[i] > a[j], by merge sort.
    private static long Inversions(double[] a)
    {
        if (a.Length < 2) return 0;
        var buffer = new double[a.Length];
        long count = 0;
        for (int width = 1; width < a.Length; width *= 2)
        {
            for (int lo = 0; lo < a.Length; lo += 2 * width)
            {
                int mid = Math.Min(lo + width, a.Length), hi = Math.Min(lo + 2 * width, a.Length);
                int i = lo, j = mid, k = lo;
                while (i < mid && j < hi)
                {
                    if (a[j] < a[i]) { count += mid - i; buffer[k++] = a[j++]; }
                    else buffer[k++] = a[i++];
                }
                while (i < mid) buffer[k++] = a[i++];
                while (j < hi) buffer[k++] = a[j++];
            }
            Array.Copy(buffer, a, a.Length);
        }
        return count;
    }
}
