using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Courses.Testing;

/// <summary>Every log record a host writes once this is added to its logger factory (once per host, however often asked).</summary>
public sealed class LogCapture : ILoggerProvider
{
    private static readonly ConditionalWeakTable<ILoggerFactory, LogCapture> Installed = new();

    public ConcurrentQueue<(string Category, LogLevel Level, string Message, Exception? Exception)> Records { get; } = new();

    public static LogCapture Into(IServiceProvider services)
    {
        var factory = services.GetRequiredService<ILoggerFactory>();
        return Installed.GetValue(factory, f =>
        {
            var capture = new LogCapture();
            f.AddProvider(capture);
            return capture;
        });
    }

    public void Clear() => Records.Clear();
    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);
    public void Dispose() { }

    private sealed class Logger(LogCapture capture, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel)) capture.Records.Enqueue((category, logLevel, formatter(state, exception), exception));
        }
    }
}
