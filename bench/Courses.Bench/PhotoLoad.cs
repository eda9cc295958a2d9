using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using Courses.Testing;
using SkiaSharp;

namespace Courses.Bench;

/// <summary>
/// Photo uploads (a 5 MiB JPEG, the size a phone takes) and thumbnail reads, each with N concurrent clients over keep-alive
/// connections, with the API's resident memory sampled from /proc while the uploads run.
/// </summary>
public static class PhotoLoad
{
    public static async Task<int> RunAsync(Options options)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = new Uri(options.BaseUrl), Timeout = TimeSpan.FromMinutes(2) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.Token);
        var workers = options.Concurrency.Max();

        var jpeg = FiveMiBJpeg();
        Console.WriteLine($"image: {jpeg.Length / (1024.0 * 1024):F2} MiB JPEG");
        var clients = await ClientsAsync(http, 64);
        var body = TestImages.Multipart(
            ("metadata", null, JsonSerializer.SerializeToUtf8Bytes(new { takenAt = DateTimeOffset.UtcNow.AddMinutes(-5).ToString("yyyy-MM-ddTHH:mm:sszzz"), area = "face", view = "front", kind = "progress" })),
            ("image", "image/jpeg", jpeg));

        var photos = new ConcurrentBag<(Guid Client, Guid Photo)>();
        var errors = new ConcurrentQueue<string>();
        async Task<double> Upload(int n)
        {
            var client = clients[n % clients.Count];
            using var content = new ByteArrayContent(body.Body);
            content.Headers.TryAddWithoutValidation("Content-Type", body.ContentType);
            var watch = Stopwatch.StartNew();
            using var response = await http.PostAsync($"/api/clients/{client}/photos", content);
            var text = await response.Content.ReadAsStringAsync();
            var ms = watch.Elapsed.TotalMilliseconds;
            if ((int)response.StatusCode == 201) photos.Add((client, JsonDocument.Parse(text).RootElement.GetProperty("photoId").GetGuid()));
            else if (errors.Count < 5) errors.Enqueue($"{(int)response.StatusCode} {text[..Math.Min(200, text.Length)]}");
            return ms;
        }

        await Load("upload warm-up", workers, TimeSpan.FromSeconds(options.WarmupSeconds), Upload, null);
        using var rss = new RssSampler(options.ApiPid);
        var uploads = await Load("upload", workers, options.LevelDuration, Upload, rss);
        Console.WriteLine($"API resident memory during the uploads: start {rss.StartMiB:F0} MiB, peak {rss.PeakMiB:F0} MiB, end {rss.EndMiB:F0} MiB " +
                          $"({rss.Samples} samples, every 100 ms)");

        var taken = photos.ToArray();
        async Task<double> Thumbnail(int n)
        {
            var (client, photo) = taken[n % taken.Length];
            var watch = Stopwatch.StartNew();
            using var response = await http.GetAsync($"/api/clients/{client}/photos/{photo}/image?size=thumbnail");
            var bytes = await response.Content.ReadAsByteArrayAsync();
            var ms = watch.Elapsed.TotalMilliseconds;
            if (!response.IsSuccessStatusCode && errors.Count < 5) errors.Enqueue($"thumbnail {(int)response.StatusCode}");
            return bytes.Length > 0 ? ms : ms;
        }
        await Load("thumbnail warm-up", workers, TimeSpan.FromSeconds(options.WarmupSeconds), Thumbnail, null);
        var thumbnails = await Load("thumbnail", workers, options.LevelDuration, Thumbnail, null);

        foreach (var error in errors) Console.WriteLine($"  error: {error}");
        return errors.IsEmpty && uploads > 0 && thumbnails > 0 ? 0 : 1;
    }

    /// <summary>Runs the operation back to back on N workers for the duration; prints and answers the count.</summary>
    private static async Task<long> Load(string name, int workers, TimeSpan duration, Func<int, Task<double>> operation, RssSampler? rss)
    {
        var latencies = new ConcurrentBag<double>();
        var turn = -1;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            while (watch.Elapsed < duration) latencies.Add(await operation(Interlocked.Increment(ref turn)));
        })));
        rss?.Stop();
        var sorted = latencies.Order().ToArray();
        double P(double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p / 100 * sorted.Length) - 1)];
        Console.WriteLine($"{name}: {sorted.Length} requests in {watch.Elapsed.TotalSeconds:F0} s ({sorted.Length / watch.Elapsed.TotalSeconds:F1}/s)  " +
                          $"clients {workers}  p50 {P(50):F1} ms  p95 {P(95):F1} ms  p99 {P(99):F1} ms");
        return sorted.Length;
    }

    /// <summary>Clients with a photo consent, made through the API.</summary>
    private static async Task<List<Guid>> ClientsAsync(HttpClient http, int count)
    {
        var clients = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            var registered = await http.PostAsync("/api/clients", Json(new { fullName = $"Photo Client {i}", dateOfBirth = "1990-04-01" }));
            var id = JsonDocument.Parse(await registered.Content.ReadAsStringAsync()).RootElement.GetProperty("clientId").GetGuid();
            var consent = await http.PostAsync($"/api/clients/{id}/photo-consents",
                Json(new { signedAt = DateTimeOffset.UtcNow.AddDays(-1).ToString("yyyy-MM-ddTHH:mm:sszzz"), formVersion = "photo-v1", uses = new[] { "clinicalRecord" } }));
            if (!consent.IsSuccessStatusCode) throw new InvalidOperationException($"photo consent: {(int)consent.StatusCode}");
            clients.Add(id);
        }
        return clients;
    }

    private static StringContent Json(object value) => new(JsonSerializer.Serialize(value), System.Text.Encoding.UTF8, "application/json");

    /// <summary>A photo-like JPEG of about 5 MiB: a gradient with fine noise (as skin texture is), 3600 × 2700, quality chosen to land on the size.</summary>
    private static byte[] FiveMiBJpeg()
    {
        using var bitmap = new SKBitmap(new SKImageInfo(3600, 2700, SKColorType.Rgba8888, SKAlphaType.Premul));
        var pixels = bitmap.GetPixelSpan();
        var random = new Random(7);
        unsafe
        {
            var p = (byte*)bitmap.GetPixels();
            for (var y = 0; y < 2700; y++)
                for (var x = 0; x < 3600; x++, p += 4)
                {
                    var noise = random.Next(-24, 25);
                    p[0] = (byte)Math.Clamp(x * 255 / 3600 + noise, 0, 255);
                    p[1] = (byte)Math.Clamp(y * 255 / 2700 + noise, 0, 255);
                    p[2] = (byte)Math.Clamp(160 + noise, 0, 255);
                    p[3] = 255;
                }
        }
        _ = pixels;
        byte[] best = [];
        foreach (var quality in new[] { 70, 75, 80, 85, 90, 95 })
        {
            using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, quality);
            best = data.ToArray();
            if (best.Length >= 4.5 * 1024 * 1024) break;
        }
        return best;
    }

    private sealed class RssSampler : IDisposable
    {
        private readonly int _pid;
        private readonly Timer? _timer;
        private double _peak;
        public double StartMiB { get; }
        public double EndMiB { get; private set; }
        public double PeakMiB => Math.Max(_peak, EndMiB);
        public int Samples { get; private set; }

        public RssSampler(int pid)
        {
            _pid = pid;
            if (pid <= 0) return;
            StartMiB = Read();
            _peak = StartMiB;
            _timer = new Timer(_ => { var now = Read(); Samples++; if (now > _peak) _peak = now; }, null, 0, 100);
        }

        public void Stop()
        {
            _timer?.Dispose();
            if (_pid > 0) EndMiB = Read();
        }

        private double Read()
        {
            foreach (var line in File.ReadLines($"/proc/{_pid}/status"))
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                    return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024;
            return 0;
        }

        public void Dispose() => _timer?.Dispose();
    }
}
