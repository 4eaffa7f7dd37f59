using Microsoft.Kiota.Abstractions.Store;

namespace CippUsers.Graph;

/// <summary>Request bodies that carry exactly the properties we assign.</summary>
internal static class Bodies
{
    /// <summary>
    /// A fresh model whose constructor defaults (its @odata.type annotation) are not sent: the SDK's backing store
    /// serializes only values changed after initialization, so everything assigned afterwards goes out, nothing else.
    /// </summary>
    public static T New<T>() where T : IBackedModel, new()
    {
        var model = new T();
        model.BackingStore.InitializationCompleted = true;
        return model;
    }
}
