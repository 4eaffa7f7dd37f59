namespace CippUsers.Bot.Files;

/// <summary>The bytes of a file the bot offers to a tech. Either held in memory only (<see cref="FromBytes"/>: for files
/// that contain passwords — they never touch disk or the database, and are wiped when dropped) or a temporary file on
/// disk (<see cref="FromTempFile"/>: for big exports without secrets), deleted after upload or expiry. Once offered,
/// <see cref="FileDelivery"/> owns it; dispose it yourself only if you never offer it.</summary>
public sealed class FileContent : IDisposable
{
    private readonly Lock _lock = new();
    private byte[]? _bytes;
    private string? _path;

    private FileContent(byte[]? bytes, string? path, long length)
    {
        _bytes = bytes;
        _path = path;
        Length = length;
    }

    public long Length { get; }

    /// <summary>True when the bytes live in memory only (the right choice for anything holding a password).</summary>
    public bool IsInMemory { get; private init; }

    /// <summary>Memory only; the array is taken over (not copied) and zeroed when the file is dropped.</summary>
    public static FileContent FromBytes(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        return new FileContent(bytes, null, bytes.Length) { IsInMemory = true };
    }

    /// <summary>A temporary file (e.g. from <see cref="NewTempFilePath"/>); it is deleted when dropped.</summary>
    public static FileContent FromTempFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new FileNotFoundException("The temporary file does not exist.", path);
        }

        return new FileContent(null, info.FullName, info.Length);
    }

    /// <summary>A fresh path in the bot's temporary folder for a file to write and then pass to <see cref="FromTempFile"/>.
    /// Never use it for content with secrets.</summary>
    public static string NewTempFilePath(string extension)
        => Path.Combine(TempFolder(), $"{Guid.NewGuid():N}.{extension.TrimStart('.')}");

    /// <summary>The bot's temporary folder (user, not shared: exports hold personal data).</summary>
    internal static string TempFolder()
    {
        var path = Path.Combine(Path.GetTempPath(), "cippusers-files");
        var folder = OperatingSystem.IsWindows()
            ? Directory.CreateDirectory(path)
            : Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return folder.FullName;
    }

    internal Stream OpenRead()
    {
        lock (_lock)
        {
            if (_bytes is { } bytes)
            {
                return new MemoryStream(bytes, writable: false);
            }

            if (_path is { } path)
            {
                return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920, useAsync: true);
            }

            throw new ObjectDisposedException(nameof(FileContent));
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_bytes is { } bytes)
            {
                Array.Clear(bytes);
                _bytes = null;
            }

            if (_path is { } path)
            {
                _path = null;
                try
                {
                    File.Delete(path);
                }
                catch (IOException)
                {
                    // Still open elsewhere: the temp folder is cleaned by the OS eventually; nothing secret is in it.
                }
            }
        }
    }
}
