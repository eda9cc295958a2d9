using System.Security.Cryptography;
using System.Text;

namespace Courses.Projections.Protocol;

/// <summary>Each clinic's protocol lives in a stream of its own, whose id is derived from the clinic id.</summary>
public static class ProtocolStream
{
    public static Guid IdFor(string clinic)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"courses/protocol/{clinic}"));
        var bytes = hash.AsSpan(0, 16).ToArray();
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x80); // version 8: a name-based, application-defined UUID
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }
}
