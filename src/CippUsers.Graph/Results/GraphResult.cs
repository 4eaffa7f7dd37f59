using System.Diagnostics.CodeAnalysis;

namespace CippUsers.Graph;

/// <summary>Outcome of a Graph operation that returns nothing.</summary>
public readonly record struct GraphResult
{
    private GraphResult(GraphFailure? failure) => Failure = failure;

    [MemberNotNullWhen(false, nameof(Failure))]
    public bool Succeeded => Failure is null;

    public GraphFailure? Failure { get; }

    public static GraphResult Ok() => new(null);

    public static GraphResult Fail(GraphFailure failure) => new(failure ?? throw new ArgumentNullException(nameof(failure)));

    public static implicit operator GraphResult(GraphFailure failure) => Fail(failure);
}

/// <summary>Outcome of a Graph operation that returns a <typeparamref name="T"/>.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1000", Justification = "Ok/Fail factories are the result type's API.")]
public readonly record struct GraphResult<T>
{
    private GraphResult(T? value, GraphFailure? failure)
    {
        Value = value;
        Failure = failure;
    }

    [MemberNotNullWhen(false, nameof(Failure))]
    public bool Succeeded => Failure is null;

    public T? Value { get; }

    public GraphFailure? Failure { get; }

    public static GraphResult<T> Ok(T value) => new(value, null);

    public static GraphResult<T> Fail(GraphFailure failure) => new(default, failure ?? throw new ArgumentNullException(nameof(failure)));

    public static implicit operator GraphResult<T>(GraphFailure failure) => Fail(failure);

    /// <summary>Drops the value.</summary>
    public GraphResult WithoutValue() => Failure is null ? GraphResult.Ok() : GraphResult.Fail(Failure);
}
