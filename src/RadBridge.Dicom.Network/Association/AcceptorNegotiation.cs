using RadBridge.Dicom.Network.Pdu;
using RadBridge.Dicom.Network.Services;

namespace RadBridge.Dicom.Network.Association;

/// <summary>
/// The acceptor's answers to the optional User Information negotiations of an A-ASSOCIATE-RQ (PS3.7 D.3.3): each is
/// answered only when requested, for SOP classes we accepted a presentation context for.
/// </summary>
internal static class AcceptorNegotiation
{
    /// <summary>
    /// Asynchronous Operations Window (D.3.3.3): we invoke and perform one operation at a time, so we answer 1/1 whatever
    /// was proposed — the default a requestor must assume anyway, made explicit.
    /// </summary>
    public static AsynchronousOperationsWindow? AnswerWindow(UserInformation request) =>
        request.AsynchronousOperationsWindow is null ? null : new AsynchronousOperationsWindow(1, 1);

    /// <summary>
    /// SCP/SCU Role Selection (D.3.3.4): per proposed SOP class we accept the requestor as SCU when we serve that SOP class
    /// as SCP, and as SCP (it receives our requests, as the C-STORE sub-operations of C-GET) only when
    /// <paramref name="acceptRequestorAsScp"/> says we can invoke them. A refused role is answered 0.
    /// </summary>
    public static List<RoleSelection> AnswerRoles(UserInformation request, ISet<string> accepted, Func<string, bool> acceptRequestorAsScp)
    {
        var answers = new List<RoleSelection>();
        foreach (var role in request.RoleSelections.DistinctBy(r => r.SopClassUid))
        {
            if (!accepted.Contains(role.SopClassUid)) continue;
            answers.Add(new RoleSelection(role.SopClassUid, role.ScuRole, role.ScpRole && acceptRequestorAsScp(role.SopClassUid)));
        }
        return answers;
    }

    /// <summary>
    /// SOP Class Extended Negotiation (D.3.3.5): answered for Storage SOP classes with PS3.4 Table B.3-1 (level 2
    /// conformance: every element stored; digital signatures not verified, signature level unspecified; no element
    /// coercion). Other SOP classes we serve (Verification) define no extended negotiation, so nothing is echoed back.
    /// </summary>
    public static List<SopClassExtendedNegotiation> AnswerExtended(UserInformation request, ISet<string> accepted)
    {
        var answers = new List<SopClassExtendedNegotiation>();
        foreach (var ext in request.ExtendedNegotiations.DistinctBy(e => e.SopClassUid))
        {
            if (!accepted.Contains(ext.SopClassUid) || !StorageSopClasses.Contains(ext.SopClassUid)) continue;
            answers.Add(new SopClassExtendedNegotiation(ext.SopClassUid, StorageLevel2));
        }
        return answers;
    }

    /// <summary>Level of support 2, reserved, level of digital signature support 0, reserved, element coercion 0, reserved.</summary>
    private static readonly byte[] StorageLevel2 = [2, 0, 0, 0, 0, 0];
}
