"""Stage control: who holds, who is killed, where fetch goes, and why (perf counters).

Causes, oldest stage first:
- MEM redirect (trap, interrupt, mret, fence.i, CSR write, shadow jump): kill ID/EX at
  once; fetch follows one cycle later from a register (so the commit logic never reaches
  the instruction RAM's address), and the word fetched meanwhile is dropped. A target
  that this commit itself writes into a register (the shadow jump's spc) is taken from
  that register then (`m_late_sel`, `m_late_target`), not muxed in the commit cycle;
- EX redirect (mispredicted branch, jalr): kill IF/ID;
- EX busy (divider), asleep (wfi until an interrupt is pending) or a load waiting for
  the data port (a store in MEM writes): hold IF/ID/EX, bubble into MEM;
- load-use (ID reads what a load or CSR read in EX produces in MEM): hold IF/ID,
  bubble into EX;
- ID prediction (jal, c.jall, backward branch taken): kill IF.
"""
from amaranth import *
from amaranth.lib import wiring
from amaranth.lib.wiring import In, Out


class Hazard(wiring.Component):
    def __init__(self, xlen):
        super().__init__({
            "m_redirect": In(1), "m_trap": In(1), "m_trap_target": In(xlen), "m_target": In(xlen),
            "m_late_sel": In(1), "m_late_target": In(xlen), "m_late_target_plus4": In(xlen),
            "x_redirect": In(1), "x_target": In(xlen), "x_target_plus4": In(xlen),
            "d_predict": In(1), "d_target": In(xlen), "d_target_plus4": In(xlen),
            "x_busy": In(1), "x_asleep": In(1), "x_port": In(1), "d_loaduse": In(1),
            "f_redirect": Out(1), "f_target": Out(xlen), "f_target_plus4": Out(xlen),
            "f_stall": Out(1),
            "d_kill": Out(1), "d_hold": Out(1),
            "x_kill": Out(1), "x_hold": Out(1), "x_bubble": Out(1),
            "m_kill": Out(1),
            # performance counters (cycles lost per cause)
            "perf_loaduse": Out(32), "perf_divide": Out(32), "perf_branch": Out(32),
            "perf_predict": Out(32), "perf_commit": Out(32),
        })

    def elaborate(self, platform):
        m = Module()
        mr, xr = self.m_redirect, self.x_redirect
        mr_late = Signal()                      # MEM redirected in the previous cycle
        # both MEM targets are registered and chosen a cycle later: the trap decision
        # (after the data address checks) selects only a flip-flop, not a wide mux
        trap, late_sel = Signal(), Signal()
        trap_target, m_target = Signal.like(self.m_trap_target), Signal.like(self.m_target)
        trap_target4, m_target4 = Signal.like(self.m_trap_target), Signal.like(self.m_target)
        m.d.sync += [mr_late.eq(mr), trap.eq(self.m_trap), trap_target.eq(self.m_trap_target),
                     m_target.eq(self.m_target), late_sel.eq(self.m_late_sel),
                     trap_target4.eq(self.m_trap_target + 4), m_target4.eq(self.m_target + 4)]
        # x_busy / x_asleep do not include MEM's redirect: where it matters it kills
        busy = self.x_busy | self.x_asleep | self.x_port
        d_hold = busy | self.d_loaduse
        predict = self.d_predict & ~d_hold & ~xr

        def choose(trap_t, late_t, m_t, x_t, d_t):
            """Fetch's redirect target, oldest cause first."""
            return Mux(mr_late, Mux(trap, trap_t, Mux(late_sel, late_t, m_t)),
                       Mux(xr, x_t, d_t))
        m.d.comb += [
            self.f_redirect.eq(mr_late | xr | predict),
            self.f_target.eq(choose(trap_target, self.m_late_target, m_target,
                                    self.x_target, self.d_target)),
            # fetch's second bank address: the same choice among the targets + 4, each
            # computed beside its target, not after this mux
            self.f_target_plus4.eq(choose(trap_target4, self.m_late_target_plus4, m_target4,
                                          self.x_target_plus4, self.d_target_plus4)),
            self.f_stall.eq(d_hold),
            self.d_kill.eq(mr | mr_late | xr | predict),
            self.d_hold.eq(d_hold),
            self.x_kill.eq(mr | xr),
            self.x_hold.eq(busy),
            self.x_bubble.eq(self.d_loaduse),
            self.m_kill.eq(mr | busy),
        ]
        # perf_loaduse: cycles a load costs others (load-use interlock) or waits itself;
        # perf_divide: EX held by the divider (or the multiplier, when iterative)
        for counter, cond in ((self.perf_loaduse, (self.d_loaduse & ~busy | self.x_port) & ~mr & ~xr),
                              (self.perf_divide, self.x_busy & ~mr),
                              (self.perf_branch, xr & ~mr),
                              (self.perf_predict, predict & ~mr),
                              (self.perf_commit, mr | mr_late)):
            with m.If(cond):
                m.d.sync += counter.eq(counter + 1)
        return m
