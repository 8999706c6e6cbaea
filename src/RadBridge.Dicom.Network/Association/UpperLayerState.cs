namespace RadBridge.Dicom.Network.Association;

/// <summary>The states of the DICOM upper layer protocol machine (PS3.8 §9.2.1, Tables 9-1 to 9-5).</summary>
public enum UpperLayerState
{
    /// <summary>Idle.</summary>
    Sta1 = 1,
    /// <summary>Transport connection open (awaiting A-ASSOCIATE-RQ PDU).</summary>
    Sta2,
    /// <summary>Awaiting local A-ASSOCIATE response primitive (from local user).</summary>
    Sta3,
    /// <summary>Awaiting transport connection opening to complete (from local transport service).</summary>
    Sta4,
    /// <summary>Awaiting A-ASSOCIATE-AC or A-ASSOCIATE-RJ PDU.</summary>
    Sta5,
    /// <summary>Association established and ready for data transfer.</summary>
    Sta6,
    /// <summary>Awaiting A-RELEASE-RP PDU.</summary>
    Sta7,
    /// <summary>Awaiting local A-RELEASE response primitive (from local user).</summary>
    Sta8,
    /// <summary>Release collision requestor side; awaiting A-RELEASE response (from local user).</summary>
    Sta9,
    /// <summary>Release collision acceptor side; awaiting A-RELEASE-RP PDU.</summary>
    Sta10,
    /// <summary>Release collision requestor side; awaiting A-RELEASE-RP PDU.</summary>
    Sta11,
    /// <summary>Release collision acceptor side; awaiting A-RELEASE response primitive (from local user).</summary>
    Sta12,
    /// <summary>Awaiting transport connection close indication (association no longer exists).</summary>
    Sta13,
}

/// <summary>The events of the DICOM upper layer protocol machine (PS3.8 §9.2.3, Table 9-10, rows).</summary>
public enum UpperLayerEvent
{
    /// <summary>A-ASSOCIATE request (local user).</summary>
    Evt1 = 1,
    /// <summary>Transport connection confirm (local transport service).</summary>
    Evt2,
    /// <summary>A-ASSOCIATE-AC PDU (received on transport connection).</summary>
    Evt3,
    /// <summary>A-ASSOCIATE-RJ PDU (received on transport connection).</summary>
    Evt4,
    /// <summary>Transport connection indication (local transport service).</summary>
    Evt5,
    /// <summary>A-ASSOCIATE-RQ PDU (received on transport connection).</summary>
    Evt6,
    /// <summary>A-ASSOCIATE response primitive (accept).</summary>
    Evt7,
    /// <summary>A-ASSOCIATE response primitive (reject).</summary>
    Evt8,
    /// <summary>P-DATA request primitive.</summary>
    Evt9,
    /// <summary>P-DATA-TF PDU.</summary>
    Evt10,
    /// <summary>A-RELEASE request primitive.</summary>
    Evt11,
    /// <summary>A-RELEASE-RQ PDU (received on open transport connection).</summary>
    Evt12,
    /// <summary>A-RELEASE-RP PDU (received on transport connection).</summary>
    Evt13,
    /// <summary>A-RELEASE response primitive.</summary>
    Evt14,
    /// <summary>A-ABORT request primitive.</summary>
    Evt15,
    /// <summary>A-ABORT PDU (received on open transport connection).</summary>
    Evt16,
    /// <summary>Transport connection closed indication (local transport service).</summary>
    Evt17,
    /// <summary>ARTIM timer expired (association reject/release timer).</summary>
    Evt18,
    /// <summary>Unrecognized or invalid PDU received.</summary>
    Evt19,
}

/// <summary>The actions of the DICOM upper layer protocol machine (PS3.8 §9.2.2, Tables 9-6 to 9-9).</summary>
public enum UpperLayerAction
{
    /// <summary>Issue TRANSPORT CONNECT request primitive to local transport service → Sta4.</summary>
    AE1 = 1,
    /// <summary>Send A-ASSOCIATE-RQ PDU → Sta5.</summary>
    AE2,
    /// <summary>Issue A-ASSOCIATE confirmation (accept) primitive → Sta6.</summary>
    AE3,
    /// <summary>Issue A-ASSOCIATE confirmation (reject) primitive and close transport connection → Sta1.</summary>
    AE4,
    /// <summary>Issue transport connection response primitive; start ARTIM timer → Sta2.</summary>
    AE5,
    /// <summary>Stop ARTIM; if the A-ASSOCIATE-RQ is acceptable by the service-provider issue A-ASSOCIATE indication → Sta3, else send A-ASSOCIATE-RJ and start ARTIM → Sta13.</summary>
    AE6,
    /// <summary>Send A-ASSOCIATE-AC PDU → Sta6.</summary>
    AE7,
    /// <summary>Send A-ASSOCIATE-RJ PDU and start ARTIM timer → Sta13.</summary>
    AE8,
    /// <summary>Send P-DATA-TF PDU → Sta6.</summary>
    DT1,
    /// <summary>Send P-DATA indication primitive → Sta6.</summary>
    DT2,
    /// <summary>Send A-RELEASE-RQ PDU → Sta7.</summary>
    AR1,
    /// <summary>Issue A-RELEASE indication primitive → Sta8.</summary>
    AR2,
    /// <summary>Issue A-RELEASE confirmation primitive and close transport connection → Sta1.</summary>
    AR3,
    /// <summary>Issue A-RELEASE-RP PDU and start ARTIM timer → Sta13.</summary>
    AR4,
    /// <summary>Stop ARTIM timer → Sta1.</summary>
    AR5,
    /// <summary>Issue P-DATA indication → Sta7.</summary>
    AR6,
    /// <summary>Issue P-DATA-TF PDU → Sta8.</summary>
    AR7,
    /// <summary>Issue A-RELEASE indication (release collision): requestor → Sta9, acceptor → Sta10.</summary>
    AR8,
    /// <summary>Send A-RELEASE-RP PDU → Sta11.</summary>
    AR9,
    /// <summary>Issue A-RELEASE confirmation primitive → Sta12.</summary>
    AR10,
    /// <summary>Send A-ABORT PDU (service-user source) and start (or restart) ARTIM timer → Sta13.</summary>
    AA1,
    /// <summary>Stop ARTIM timer if running; close transport connection → Sta1.</summary>
    AA2,
    /// <summary>Issue A-ABORT (service-user initiated) or A-P-ABORT (service-provider initiated) indication and close transport connection → Sta1.</summary>
    AA3,
    /// <summary>Issue A-P-ABORT indication primitive → Sta1.</summary>
    AA4,
    /// <summary>Stop ARTIM timer → Sta1.</summary>
    AA5,
    /// <summary>Ignore PDU → Sta13.</summary>
    AA6,
    /// <summary>Send A-ABORT PDU → Sta13.</summary>
    AA7,
    /// <summary>Send A-ABORT PDU (service-provider source), issue an A-P-ABORT indication, and start ARTIM timer → Sta13.</summary>
    AA8,
}
