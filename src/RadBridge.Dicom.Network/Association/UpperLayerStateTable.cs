namespace RadBridge.Dicom.Network.Association;

/// <summary>
/// The DICOM upper layer state transition table, transcribed from PS3.8 §9.2.3 Table 9-10 ("DICOM Upper Layer
/// Protocol State Transition Table") with the next states of Tables 9-6 to 9-9. One cell per (event, state); an
/// empty cell of the standard is <c>null</c> here: the event cannot happen in that state (a local primitive the
/// user must not issue, or a transport event that cannot occur).
/// </summary>
public static class UpperLayerStateTable
{
    // Rows are events Evt1..Evt19, columns states Sta1..Sta13, exactly as Table 9-10 prints them.
    private static readonly string?[][] Cells =
    [
        //            Sta1    Sta2    Sta3    Sta4    Sta5    Sta6    Sta7    Sta8    Sta9    Sta10   Sta11   Sta12   Sta13
        /* Evt1  */ ["AE-1", null,   null,   null,   null,   null,   null,   null,   null,   null,   null,   null,   null  ],
        /* Evt2  */ [null,   null,   null,   "AE-2", null,   null,   null,   null,   null,   null,   null,   null,   null  ],
        /* Evt3  */ [null,   "AA-1", "AA-8", null,   "AE-3", "AA-8", "AA-8", "AA-8", "AA-8", "AA-8", "AA-8", "AA-8", "AA-6"],
        /* Evt4  */ [null,   "AA-1", "AA-8", null,   "AE-4", "AA-8", "AA-8", "AA-8", "AA-8", "AA-8", "AA-8", "AA-8", "AA-6"],
        /* Evt5  */ ["AE-5", null,   null,   null,   null,   null,   null,   null,   null,   null,   null,   null,   null  ],
        /* Evt6  */ [null,   "AE-6", "AA-8", null,   "AA-8", "AA-8", "AA-8", "AA-8", "AA-8", "AA-8", "AA-8", "AA-8", "AA-7"],
        /* Evt7  */ [null,   null,   "AE-7", null,   null,   null,   null,   null,   null,   null,   null,   null,   null  ],
        /* Evt8  */ [null,   null,   "AE-8", null,   null,   null,   null,   null,   null,   null,   null,   null,   null  ],
        /* Evt9  */ [null,   null,   null,   null,   null,   "DT-1", null,   "AR-7", null,   null,   null,   null,   null  ],
        /* Evt10 */ [null,   "AA-1", "AA-8", null,   "AA-8", "DT-2", "AR-6", "AA-8", "AA-8", "AA-8", "AA-8", "AA-8", "AA-6"],
        /* Evt11 */ [null,   null,   null,   null,   null,   "AR-1", null,   null,   null,   null,   null,   null,   null  ],
        /* Evt12 */ [null,   "AA-1", "AA-8", null,   "AA-8", "AR-2", "AR-8", "AA-8", "AA-8", "AA-8", "AA-8", "AA-8", "AA-6"],
        /* Evt13 */ [null,   "AA-1", "AA-8", null,   "AA-8", "AA-8", "AR-3", "AA-8", "AA-8", "AR-10","AR-3", "AA-8", "AA-6"],
        /* Evt14 */ [null,   null,   null,   null,   null,   null,   null,   "AR-4", "AR-9", null,   null,   "AR-4", null  ],
        /* Evt15 */ [null,   null,   "AA-1", "AA-2", "AA-1", "AA-1", "AA-1", "AA-1", "AA-1", "AA-1", "AA-1", "AA-1", null  ],
        /* Evt16 */ [null,   "AA-2", "AA-3", null,   "AA-3", "AA-3", "AA-3", "AA-3", "AA-3", "AA-3", "AA-3", "AA-3", "AA-2"],
        /* Evt17 */ [null,   "AA-5", "AA-4", "AA-4", "AA-4", "AA-4", "AA-4", "AA-4", "AA-4", "AA-4", "AA-4", "AA-4", "AR-5"],
        /* Evt18 */ [null,   "AA-2", null,   null,   null,   null,   null,   null,   null,   null,   null,   null,   "AA-2"],
        /* Evt19 */ [null,   "AA-1", "AA-8", null,   "AA-8", "AA-8", "AA-8", "AA-8", "AA-8", "AA-8", "AA-8", "AA-8", "AA-7"],
    ];

    /// <summary>The action Table 9-10 prescribes for <paramref name="evt"/> in <paramref name="state"/>, or null for an empty cell.</summary>
    public static UpperLayerAction? ActionFor(UpperLayerState state, UpperLayerEvent evt) =>
        Cells[(int)evt - 1][(int)state - 1] is { } name ? Parse(name) : null;

    /// <summary>
    /// The state an action leads to (Tables 9-6 to 9-9). Two actions decide: AE-6 on whether the service-provider
    /// accepts the A-ASSOCIATE-RQ, AR-8 on whether this side requested the association.
    /// </summary>
    public static UpperLayerState NextState(UpperLayerAction action, bool isRequestor = false, bool requestAcceptable = true) => action switch
    {
        UpperLayerAction.AE1 => UpperLayerState.Sta4,
        UpperLayerAction.AE2 => UpperLayerState.Sta5,
        UpperLayerAction.AE3 => UpperLayerState.Sta6,
        UpperLayerAction.AE4 => UpperLayerState.Sta1,
        UpperLayerAction.AE5 => UpperLayerState.Sta2,
        UpperLayerAction.AE6 => requestAcceptable ? UpperLayerState.Sta3 : UpperLayerState.Sta13,
        UpperLayerAction.AE7 => UpperLayerState.Sta6,
        UpperLayerAction.AE8 => UpperLayerState.Sta13,
        UpperLayerAction.DT1 => UpperLayerState.Sta6,
        UpperLayerAction.DT2 => UpperLayerState.Sta6,
        UpperLayerAction.AR1 => UpperLayerState.Sta7,
        UpperLayerAction.AR2 => UpperLayerState.Sta8,
        UpperLayerAction.AR3 => UpperLayerState.Sta1,
        UpperLayerAction.AR4 => UpperLayerState.Sta13,
        UpperLayerAction.AR5 => UpperLayerState.Sta1,
        UpperLayerAction.AR6 => UpperLayerState.Sta7,
        UpperLayerAction.AR7 => UpperLayerState.Sta8,
        UpperLayerAction.AR8 => isRequestor ? UpperLayerState.Sta9 : UpperLayerState.Sta10,
        UpperLayerAction.AR9 => UpperLayerState.Sta11,
        UpperLayerAction.AR10 => UpperLayerState.Sta12,
        UpperLayerAction.AA1 => UpperLayerState.Sta13,
        UpperLayerAction.AA2 => UpperLayerState.Sta1,
        UpperLayerAction.AA3 => UpperLayerState.Sta1,
        UpperLayerAction.AA4 => UpperLayerState.Sta1,
        UpperLayerAction.AA5 => UpperLayerState.Sta1,
        UpperLayerAction.AA6 => UpperLayerState.Sta13,
        UpperLayerAction.AA7 => UpperLayerState.Sta13,
        UpperLayerAction.AA8 => UpperLayerState.Sta13,
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "not a PS3.8 action"),
    };

    /// <summary>The standard's spelling of an action ("AE-1", "AR-10", "AA-8", "DT-2").</summary>
    public static string Name(UpperLayerAction action)
    {
        var s = action.ToString();
        return $"{s[..2]}-{s[2..]}";
    }

    private static UpperLayerAction Parse(string name) => Enum.Parse<UpperLayerAction>(name.Replace("-", "", StringComparison.Ordinal));
}

/// <summary>
/// One association's upper layer state, moved only through <see cref="UpperLayerStateTable"/>. Not thread-safe: the
/// association serialises its use.
/// </summary>
public sealed class UpperLayerStateMachine(bool isRequestor)
{
    /// <summary>The current state; an association starts idle (Sta1).</summary>
    public UpperLayerState State { get; private set; } = UpperLayerState.Sta1;

    /// <summary>True on the side that sent the A-ASSOCIATE-RQ (decides AR-8).</summary>
    public bool IsRequestor { get; } = isRequestor;

    /// <summary>True when the table has an action for <paramref name="evt"/> in the current state.</summary>
    public bool Allows(UpperLayerEvent evt) => UpperLayerStateTable.ActionFor(State, evt) is not null;

    /// <summary>Applies an event: returns the action to perform and moves to its next state.</summary>
    /// <exception cref="DicomNetworkException">The event has no action in the current state (an empty cell of Table 9-10).</exception>
    public UpperLayerAction Fire(UpperLayerEvent evt, bool requestAcceptable = true)
    {
        var action = UpperLayerStateTable.ActionFor(State, evt)
            ?? throw new DicomNetworkException($"{evt} is not valid in {State} (PS3.8 Table 9-10)");
        State = UpperLayerStateTable.NextState(action, IsRequestor, requestAcceptable);
        return action;
    }
}
