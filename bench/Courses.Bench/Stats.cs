namespace Courses.Bench;

/// <summary>Latencies of one measurement, in milliseconds, and the percentiles the report prints.</summary>
public sealed class Latencies
{
    private readonly List<double> _ms = [];

    public void Add(double ms) { lock (_ms) _ms.Add(ms); }
    public void AddRange(IEnumerable<double> ms) { lock (_ms) _ms.AddRange(ms); }
    public int Count { get { lock (_ms) return _ms.Count; } }

    /// <summary>Nearest-rank percentile; NaN when nothing was measured.</summary>
    public double P(double percentile)
    {
        lock (_ms)
        {
            if (_ms.Count == 0) return double.NaN;
            var sorted = _ms.Order().ToArray();
            var rank = (int)Math.Ceiling(percentile / 100.0 * sorted.Length);
            return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
        }
    }
}
