namespace Nabla.Training.Metrics;

/// <summary>
/// Running error sums of predictions against actual values, in whatever units they are given (the target's own
/// units when the trainer undoes its standardisation first): MSE = Σe²/n, RMSE = √MSE, MAE = Σ|e|/n and
/// R² = 1 − Σe² / Σ(y − ȳ)², as scikit-learn's <c>mean_squared_error</c>, <c>mean_absolute_error</c> and
/// <c>r2_score</c> compute them.
/// </summary>
public sealed class RegressionErrors
{
    private double _squared, _absolute, _mean, _spread;   // _mean and _spread: Welford's running mean and Σ(y − ȳ)²

    /// <summary>The number of samples counted.</summary>
    public long Count { get; private set; }

    /// <summary>Counts one sample.</summary>
    public void Add(double actual, double predicted)
    {
        double e = predicted - actual;
        _squared += e * e;
        _absolute += Math.Abs(e);
        Count++;
        double delta = actual - _mean;
        _mean += delta / Count;
        _spread += delta * (actual - _mean);
    }

    /// <summary>Forgets every sample.</summary>
    public void Clear() => (_squared, _absolute, _mean, _spread, Count) = (0, 0, 0, 0, 0);

    /// <summary>The mean squared error; NaN before any sample.</summary>
    public double Mse => Count == 0 ? double.NaN : _squared / Count;

    /// <summary>The root of <see cref="Mse"/>, in the values' units.</summary>
    public double Rmse => Math.Sqrt(Mse);

    /// <summary>The mean absolute error; NaN before any sample.</summary>
    public double Mae => Count == 0 ? double.NaN : _absolute / Count;

    /// <summary>
    /// The coefficient of determination: 1 for perfect predictions, 0 for always predicting the mean, negative for
    /// worse. Null when the actual values do not vary (it is undefined there).
    /// </summary>
    public double? R2 => Count == 0 || _spread <= 0 ? null : 1 - _squared / _spread;
}
