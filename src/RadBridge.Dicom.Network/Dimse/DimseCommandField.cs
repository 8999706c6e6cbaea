namespace RadBridge.Dicom.Network.Dimse;

/// <summary>The Command Field (0000,0100) values of PS3.7 §9.3 and §10.3 (Annex E).</summary>
public enum DimseCommandField : ushort
{
    CStoreRequest = 0x0001,
    CStoreResponse = 0x8001,
    CGetRequest = 0x0010,
    CGetResponse = 0x8010,
    CFindRequest = 0x0020,
    CFindResponse = 0x8020,
    CMoveRequest = 0x0021,
    CMoveResponse = 0x8021,
    CEchoRequest = 0x0030,
    CEchoResponse = 0x8030,
    NEventReportRequest = 0x0100,
    NEventReportResponse = 0x8100,
    NGetRequest = 0x0110,
    NGetResponse = 0x8110,
    NSetRequest = 0x0120,
    NSetResponse = 0x8120,
    NActionRequest = 0x0130,
    NActionResponse = 0x8130,
    NCreateRequest = 0x0140,
    NCreateResponse = 0x8140,
    NDeleteRequest = 0x0150,
    NDeleteResponse = 0x8150,
    CCancelRequest = 0x0FFF,
}

/// <summary>Facts about command fields.</summary>
public static class DimseCommandFields
{
    /// <summary>Responses have bit 15 set (PS3.7 Annex E).</summary>
    public static bool IsResponse(this DimseCommandField field) => ((ushort)field & 0x8000) != 0;

    /// <summary>The response field answering a request field.</summary>
    public static DimseCommandField ResponseTo(this DimseCommandField request) => (DimseCommandField)((ushort)request | 0x8000);

    /// <summary>"C-STORE-RQ", "C-ECHO-RSP".</summary>
    public static string Name(this DimseCommandField field)
    {
        var request = (DimseCommandField)((ushort)field & 0x7FFF);
        var name = request switch
        {
            DimseCommandField.CStoreRequest => "C-STORE",
            DimseCommandField.CGetRequest => "C-GET",
            DimseCommandField.CFindRequest => "C-FIND",
            DimseCommandField.CMoveRequest => "C-MOVE",
            DimseCommandField.CEchoRequest => "C-ECHO",
            DimseCommandField.NEventReportRequest => "N-EVENT-REPORT",
            DimseCommandField.NGetRequest => "N-GET",
            DimseCommandField.NSetRequest => "N-SET",
            DimseCommandField.NActionRequest => "N-ACTION",
            DimseCommandField.NCreateRequest => "N-CREATE",
            DimseCommandField.NDeleteRequest => "N-DELETE",
            DimseCommandField.CCancelRequest => "C-CANCEL",
            _ => $"command 0x{(ushort)field:X4}",
        };
        return field == DimseCommandField.CCancelRequest ? "C-CANCEL-RQ" : name + (field.IsResponse() ? "-RSP" : "-RQ");
    }
}

/// <summary>Priority (0000,0700) of a request (PS3.7 Annex E).</summary>
public enum DimsePriority : ushort
{
    Medium = 0x0000,
    High = 0x0001,
    Low = 0x0002,
}
