using RadBridge.Dicom.Network.Association;
using static RadBridge.Dicom.Network.Association.UpperLayerAction;
using static RadBridge.Dicom.Network.Association.UpperLayerEvent;
using static RadBridge.Dicom.Network.Association.UpperLayerState;

namespace RadBridge.Dicom.Network.Tests;

/// <summary>
/// Table 9-10 of PS3.8, written here a second way (per event, the states that have an action, as the standard's
/// text describes them) and compared with the transcription cell by cell, all 19 × 13.
/// </summary>
public sealed class UpperLayerStateTableTests
{
    private static readonly UpperLayerState[] Sta3To12 = [Sta3, Sta5, Sta6, Sta7, Sta8, Sta9, Sta10, Sta11, Sta12];

    // PDU received out of place: Sta2 → AA-1, association states → AA-8, Sta13 → the given action.
    private static Dictionary<UpperLayerState, UpperLayerAction> UnexpectedPdu(UpperLayerAction inSta13, params (UpperLayerState, UpperLayerAction)[] overrides)
    {
        var row = new Dictionary<UpperLayerState, UpperLayerAction> { [Sta2] = AA1, [Sta13] = inSta13 };
        foreach (var s in Sta3To12) row[s] = AA8;
        foreach (var (s, a) in overrides) row[s] = a;
        return row;
    }

    private static readonly Dictionary<UpperLayerEvent, Dictionary<UpperLayerState, UpperLayerAction>> Expected = new()
    {
        [Evt1] = new() { [Sta1] = AE1 },
        [Evt2] = new() { [Sta4] = AE2 },
        [Evt3] = UnexpectedPdu(AA6, (Sta5, AE3)),
        [Evt4] = UnexpectedPdu(AA6, (Sta5, AE4)),
        [Evt5] = new() { [Sta1] = AE5 },
        [Evt6] = UnexpectedPdu(AA7, (Sta2, AE6)),
        [Evt7] = new() { [Sta3] = AE7 },
        [Evt8] = new() { [Sta3] = AE8 },
        [Evt9] = new() { [Sta6] = DT1, [Sta8] = AR7 },
        [Evt10] = UnexpectedPdu(AA6, (Sta6, DT2), (Sta7, AR6)),
        [Evt11] = new() { [Sta6] = AR1 },
        [Evt12] = UnexpectedPdu(AA6, (Sta6, AR2), (Sta7, AR8)),
        [Evt13] = UnexpectedPdu(AA6, (Sta7, AR3), (Sta10, AR10), (Sta11, AR3)),
        [Evt14] = new() { [Sta8] = AR4, [Sta9] = AR9, [Sta12] = AR4 },
        [Evt15] = new() { [Sta3] = AA1, [Sta4] = AA2, [Sta5] = AA1, [Sta6] = AA1, [Sta7] = AA1, [Sta8] = AA1, [Sta9] = AA1, [Sta10] = AA1, [Sta11] = AA1, [Sta12] = AA1 },
        [Evt16] = new() { [Sta2] = AA2, [Sta3] = AA3, [Sta5] = AA3, [Sta6] = AA3, [Sta7] = AA3, [Sta8] = AA3, [Sta9] = AA3, [Sta10] = AA3, [Sta11] = AA3, [Sta12] = AA3, [Sta13] = AA2 },
        [Evt17] = new() { [Sta2] = AA5, [Sta3] = AA4, [Sta4] = AA4, [Sta5] = AA4, [Sta6] = AA4, [Sta7] = AA4, [Sta8] = AA4, [Sta9] = AA4, [Sta10] = AA4, [Sta11] = AA4, [Sta12] = AA4, [Sta13] = AR5 },
        [Evt18] = new() { [Sta2] = AA2, [Sta13] = AA2 },
        [Evt19] = UnexpectedPdu(AA7),
    };

    public static TheoryData<UpperLayerState, UpperLayerEvent> EveryCell()
    {
        var data = new TheoryData<UpperLayerState, UpperLayerEvent>();
        foreach (var s in Enum.GetValues<UpperLayerState>())
        {
            foreach (var e in Enum.GetValues<UpperLayerEvent>()) data.Add(s, e);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(EveryCell))]
    public void Cell_matches_table_9_10(UpperLayerState state, UpperLayerEvent evt)
    {
        UpperLayerAction? expected = Expected[evt].TryGetValue(state, out var a) ? a : null;
        Assert.Equal(expected, UpperLayerStateTable.ActionFor(state, evt));

        var machine = MachineIn(state);
        if (expected is null)
        {
            Assert.False(machine.Allows(evt));
            Assert.Throws<DicomNetworkException>(() => machine.Fire(evt));
            Assert.Equal(state, machine.State);
        }
        else
        {
            Assert.Equal(expected, machine.Fire(evt));
            Assert.Equal(UpperLayerStateTable.NextState(expected.Value, machine.IsRequestor), machine.State);
        }
    }

    [Fact]
    public void The_table_has_247_cells_and_the_standards_count_of_actions() =>
        Assert.Equal(Expected.Values.Sum(r => r.Count), EveryCell().Count(c => UpperLayerStateTable.ActionFor((UpperLayerState)c[0], (UpperLayerEvent)c[1]) is not null));

    [Theory]
    [InlineData(AE1, Sta4)] [InlineData(AE2, Sta5)] [InlineData(AE3, Sta6)] [InlineData(AE4, Sta1)] [InlineData(AE5, Sta2)]
    [InlineData(AE7, Sta6)] [InlineData(AE8, Sta13)] [InlineData(DT1, Sta6)] [InlineData(DT2, Sta6)] [InlineData(AR1, Sta7)]
    [InlineData(AR2, Sta8)] [InlineData(AR3, Sta1)] [InlineData(AR4, Sta13)] [InlineData(AR5, Sta1)] [InlineData(AR6, Sta7)]
    [InlineData(AR7, Sta8)] [InlineData(AR9, Sta11)] [InlineData(AR10, Sta12)] [InlineData(AA1, Sta13)] [InlineData(AA2, Sta1)]
    [InlineData(AA3, Sta1)] [InlineData(AA4, Sta1)] [InlineData(AA5, Sta1)] [InlineData(AA6, Sta13)] [InlineData(AA7, Sta13)] [InlineData(AA8, Sta13)]
    public void Action_leads_to_the_state_of_tables_9_6_to_9_9(UpperLayerAction action, UpperLayerState next) =>
        Assert.Equal(next, UpperLayerStateTable.NextState(action));

    [Fact]
    public void Deciding_actions_follow_their_condition()
    {
        Assert.Equal(Sta3, UpperLayerStateTable.NextState(AE6, requestAcceptable: true));
        Assert.Equal(Sta13, UpperLayerStateTable.NextState(AE6, requestAcceptable: false));
        Assert.Equal(Sta9, UpperLayerStateTable.NextState(AR8, isRequestor: true));
        Assert.Equal(Sta10, UpperLayerStateTable.NextState(AR8, isRequestor: false));
        Assert.Equal("AR-10", UpperLayerStateTable.Name(AR10));
    }

    [Fact]
    public void Requestor_lifecycle_and_release_collision()
    {
        var scu = new UpperLayerStateMachine(isRequestor: true);
        foreach (var (e, s) in new[] { (Evt1, Sta4), (Evt2, Sta5), (Evt3, Sta6), (Evt9, Sta6), (Evt10, Sta6), (Evt11, Sta7), (Evt12, Sta9), (Evt14, Sta11), (Evt13, Sta1) })
        {
            scu.Fire(e);
            Assert.Equal(s, scu.State);
        }
        var scp = new UpperLayerStateMachine(isRequestor: false);
        foreach (var (e, s) in new[] { (Evt5, Sta2), (Evt6, Sta3), (Evt7, Sta6), (Evt11, Sta7), (Evt12, Sta10), (Evt13, Sta12), (Evt14, Sta13), (Evt17, Sta1) })
        {
            scp.Fire(e);
            Assert.Equal(s, scp.State);
        }
    }

    // Reaches a state through legal events only, so each cell is tested from a state the machine can really be in.
    private static UpperLayerStateMachine MachineIn(UpperLayerState target)
    {
        var requestor = target is Sta4 or Sta5 or Sta7 or Sta9 or Sta11;
        var machine = new UpperLayerStateMachine(requestor);
        UpperLayerEvent[] path = target switch
        {
            Sta1 => [],
            Sta2 => [Evt5],
            Sta3 => [Evt5, Evt6],
            Sta4 => [Evt1],
            Sta5 => [Evt1, Evt2],
            Sta6 => [Evt5, Evt6, Evt7],
            Sta7 => [Evt1, Evt2, Evt3, Evt11],
            Sta8 => [Evt5, Evt6, Evt7, Evt12],
            Sta9 => [Evt1, Evt2, Evt3, Evt11, Evt12],
            Sta10 => [Evt5, Evt6, Evt7, Evt11, Evt12],
            Sta11 => [Evt1, Evt2, Evt3, Evt11, Evt12, Evt14],
            Sta12 => [Evt5, Evt6, Evt7, Evt11, Evt12, Evt13],
            Sta13 => [Evt5, Evt6, Evt8],
            _ => throw new ArgumentOutOfRangeException(nameof(target)),
        };
        foreach (var e in path) machine.Fire(e);
        Assert.Equal(target, machine.State);
        return machine;
    }
}
