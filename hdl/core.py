"""The spcore CPU: five stages IF ID EX MEM WB; this module only instantiates and wires units.

Commit point is MEM: CSR reads/writes, traps, interrupts, mret, fence.i, the Xspc
shadow jump and stores happen there (a redirect from MEM flushes IF/ID/EX). A store writes
memory from its MEM registers, so its write enable depends on flip-flops only and memory
changes only for instructions that commit; a load in EX that meets a store in MEM waits
one cycle for the shared data port.
See hdl/README.md for the pipeline, forwarding and hazard rules.
"""
import functools
import operator

from amaranth import *
from amaranth.lib import data, wiring
from amaranth.lib.wiring import In, Out

from spcore.config import CoreConfig

from .layouts import SEQ_BITS, Op, decoded_layout, pipeview_fields
from .units.alu import Alu
from .units.compare import Compare
from .units.csr import CsrFile
from .units.decoder import Decoder
from .units.divider import Divider
from .units.fetch import Fetch
from .units.hazard import Hazard
from .units.lsu import Lsu
from .units.multiplier import IterativeMultiplier, Multiplier
from .units.pmp import Pmp
from .units.regfile import RegFile
from .units.rvc import RvcExpander
from .units.rvfi import RvfiController, rvfi_fields
from .units.shifter import Shifter
from .units.spc import ShadowPc
from .units.trap import TrapUnit
from .units.triggers import Triggers

PERF = ("loaduse", "divide", "branch", "predict", "commit")

# exception causes (privileged spec table 3.6)
MISALIGNED_FETCH, FETCH_ACCESS, ILLEGAL, BREAKPOINT = 0, 1, 2, 3
MISALIGNED_LOAD, LOAD_ACCESS, MISALIGNED_STORE, STORE_ACCESS = 4, 5, 6, 7
ECALL_U, ECALL_M = 8, 11


def stage_layout(xlen, *extra):
    """Pipeline register contents common to ID/EX/MEM, plus stage-specific fields."""
    fields = {"valid": 1, "pc": xlen, "insn": 48, "len": 3,
              "exc": 1, "cause": 4, "tval": xlen,
              "exc_early": 1,    # raised in IF/ID: the instruction has no operand fields
              "exc_fetch": 1}    # raised in IF: no instruction bits either (RVFI insn = 0)
    for e in extra:
        fields.update(e)
    return data.StructLayout(fields)


def core_signature(config):
    xlen = config.xlen
    members = {
        "ibus_addr": Out(xlen), "ibus_addr_plus4": Out(xlen), "ibus_data": In(64),
        "dbus_addr": Out(xlen), "dbus_re": Out(1), "dbus_we": Out(1), "dbus_wmask": Out(8),
        "dbus_wdata": Out(64), "dbus_rdata": In(64),
        "irq_msi": In(1), "irq_mti": In(1), "irq_mei": In(1), "mtime": In(64),
    }
    members.update({"perf_" + p: Out(32) for p in PERF})
    if config.rvfi:
        members.update({"rvfi_" + k: Out(w) for k, w in rvfi_fields(xlen).items()})
        members.update({"pv_" + k: Out(w) for k, w in pipeview_fields(xlen).items()})
    return wiring.Signature(members)


class Core(wiring.Component):
    def __init__(self, config: CoreConfig = CoreConfig()):
        self.config = config
        super().__init__(core_signature(config))

    def elaborate(self, platform):
        m = Module()
        cfg = self.config
        xlen = cfg.xlen
        dec_l = decoded_layout(xlen)

        u = m.submodules
        u.fetch = fetch = Fetch(xlen, cfg.ram_size)
        u.rvc = rvc = RvcExpander(xlen)
        u.decoder = decoder = Decoder(xlen, cfg.extensions)
        u.regfile = rf = RegFile(xlen)
        u.alu = alu = Alu(xlen)
        u.shifter = shifter = Shifter(xlen)
        u.compare = compare = Compare(xlen)
        iterative_mul = cfg.multiplier == "iterative"
        u.multiplier = mul = (IterativeMultiplier if iterative_mul else Multiplier)(xlen)
        u.divider = div = Divider(xlen)
        u.lsu = lsu = Lsu(xlen, cfg.ram_size)
        u.csr = csr = CsrFile(xlen, cfg.spc, cfg.jall)
        u.trap = trap = TrapUnit(xlen)
        u.pmp = pmp = Pmp(xlen, cfg.pmp_entries)
        u.triggers = trig = Triggers(xlen, cfg.triggers)
        u.hazard = hz = Hazard(xlen)
        csr_units = [csr, pmp] + ([trig] if cfg.triggers else [])
        if cfg.spc:
            u.shadow_pc = spc = ShadowPc(xlen)
            csr_units.append(spc)

        def op_is(op, which):
            """`op == which`; constant 0 for an extension this core leaves out, so none of
            its logic is built (the decoder never produces its ops then)."""
            if (which == Op.JALL and not cfg.jall) or (which == Op.LRW2SPC and not cfg.spc):
                return C(0, 1)
            return op == which

        # ------------------------------------------------------------ pipeline registers
        d = Signal(stage_layout(xlen, {"exp": 48,             # insn, compressed ones expanded
                                       "rvc_illegal": 1}))
        x = Signal(stage_layout(xlen, {"dec": dec_l, "rs1v": xlen, "rs2v": xlen,
                                       "predicted": 1,
                                       # ID's pc + imm and pc + imm + 4 (c.jall: imm, +4)
                                       "target": xlen, "target4": xlen}))
        mm = Signal(stage_layout(xlen, {"dec": dec_l, "rs1v": xlen, "rs2v": xlen,
                                        "npc": xlen, "result": xlen, "addr": xlen,
                                        "size": 2, "intr": 1, "intr_cause": 4,
                                        "wmask": 8, "wdata": 64}))
        w_valid, w_rd, w_data = Signal(), Signal(5), Signal(xlen)

        # ------------------------------------------------------------------ IF
        m.d.comb += [
            self.ibus_addr.eq(fetch.ibus_addr), self.ibus_addr_plus4.eq(fetch.ibus_addr_plus4),
            fetch.ibus_data.eq(self.ibus_data),
            fetch.f_stall.eq(hz.f_stall), fetch.f_redirect.eq(hz.f_redirect),
            fetch.f_target.eq(hz.f_target), fetch.f_target_plus4.eq(hz.f_target_plus4),
            pmp.f_addr.eq(fetch.f_pc), pmp.f_priv.eq(csr.mode),
            trig.mode.eq(csr.mode), trig.f_pc.eq(fetch.f_pc),
        ]
        f_exc = trig.f_hit | pmp.f_deny | fetch.f_unmapped
        # RVC expansion in IF: the register file reads the source registers of the
        # instruction entering ID at this clock edge (synchronous, block RAM)
        f_compressed = fetch.f_insn[:2] != 0b11
        f_exp = Signal(48)
        m.d.comb += [rvc.f_insn16.eq(fetch.f_insn[:16]),
                     f_exp.eq(Mux(f_compressed, rvc.f_insn32, fetch.f_insn))]
        # Kills reach only the valid bits; the other fields load whenever the stage is
        # not held (what a killed stage holds does not matter). This keeps the kill
        # signals, late in the cycle, off the clock enables of the wide registers.
        with m.If(hz.d_kill):
            m.d.sync += d.valid.eq(0)
        with m.Elif(~hz.d_hold):
            m.d.sync += d.valid.eq(fetch.f_valid)
        with m.If(~hz.d_hold):
            m.d.sync += [
                d.pc.eq(fetch.f_pc), d.insn.eq(fetch.f_insn),
                d.exp.eq(f_exp), d.rvc_illegal.eq(f_compressed & rvc.f_illegal),
                d.len.eq(fetch.f_len), d.exc.eq(f_exc), d.exc_early.eq(f_exc),
                d.exc_fetch.eq(f_exc), d.tval.eq(fetch.f_pc),
                d.cause.eq(Mux(trig.f_hit, BREAKPOINT, FETCH_ACCESS)),
            ]

        # ------------------------------------------------------------------ ID
        m.d.comb += decoder.d_insn.eq(d.exp)
        ddec = decoder.d_dec
        d_illegal = ddec.illegal | d.rvc_illegal
        m.d.comb += [rf.d_rs1.eq(ddec.rs1), rf.d_rs2.eq(ddec.rs2)]
        x_late = (x.dec.op == Op.LOAD) | (x.dec.op == Op.CSR)   # result only in MEM
        d_uses = lambda r, has: has & (r == x.dec.rd) & (r != 0)
        loaduse = d.valid & x.valid & x_late & x.dec.has_rd & \
            (d_uses(ddec.rs1, ddec.has_rs1) | d_uses(ddec.rs2, ddec.has_rs2))
        d_ok = d.valid & ~d.exc & ~d_illegal
        predict = d_ok & ((ddec.op == Op.JAL) | ((ddec.op == Op.BRANCH) & ddec.imm[-1]) |
                          (op_is(ddec.op, Op.JALL) & ~ddec.imm[0]))
        # A jump to the next instruction (the disabled jall ftrace site `c.jall t0, .+6`,
        # `jal x0, .+4`) needs no redirect: whenever ID holds a valid instruction, IF holds
        # the one at pc + len. Compared without the target adder: pc-relative targets by
        # their offset, c.jall's absolute one against IF's pc.
        # c.jall's target is absolute: the same adders with the pc input zeroed (an AND
        # before each adder is cheaper than a target mux and an imm + 4 adder after them)
        d_absolute = op_is(ddec.op, Op.JALL)
        d_base = Mux(d_absolute, 0, d.pc)
        d_base4 = Mux(d_absolute, 4, (d.pc + 4)[:xlen])
        d_pc_imm, d_pc_imm4 = Signal(xlen), Signal(xlen)
        m.d.comb += [d_pc_imm.eq(d_base + ddec.imm),
                     d_pc_imm4.eq(d_base4 + ddec.imm)]   # for fetch, beside it
        fallthrough = Mux(d_absolute, ddec.imm == fetch.f_pc, ddec.imm == d.len)
        m.d.comb += [
            hz.d_loaduse.eq(loaduse), hz.d_predict.eq(predict & ~(fetch.f_valid & fallthrough)),
            hz.d_target.eq(d_pc_imm), hz.d_target_plus4.eq(d_pc_imm4),
        ]

        # ------------------------------------------------------------------ EX operands
        # Forwarding selects are decided a cycle ahead from registered decode fields, so
        # EX starts from flip-flops straight into the operand muxes. They ignore whether
        # the producer traps: a trap in MEM kills EX, so a value forwarded then is unused.
        # While EX holds, MEM gets a bubble (no MEM forward) and the held operands were
        # refreshed with this cycle's forwards (the WB forward repeats the same value).
        fwd_m = Signal(2)               # [rs1, rs2] come from MEM's result
        fwd_w = Signal(2)               # [rs1, rs2] come from WB's data
        x_writes = x.valid & ~hz.x_hold & x.dec.has_rd & (x.dec.rd != 0)
        m_writes = mm.valid & mm.dec.has_rd & (mm.dec.rd != 0)
        for i, (held, nxt) in enumerate(((x.dec.rs1, ddec.rs1), (x.dec.rs2, ddec.rs2))):
            rs_next = Mux(hz.x_hold, held, nxt)           # EX's source register next cycle
            m.d.sync += [fwd_m[i].eq(x_writes & (x.dec.rd == rs_next)),
                         fwd_w[i].eq(m_writes & (mm.dec.rd == rs_next))]

        def forward(i, captured):
            return Mux(fwd_m[i], mm.result, Mux(fwd_w[i], w_data, captured))
        a = Signal(xlen)
        b = Signal(xlen)
        m.d.comb += [a.eq(forward(0, x.rs1v)), b.eq(forward(1, x.rs2v))]

        with m.If(hz.x_kill | hz.x_bubble & ~hz.x_hold):
            m.d.sync += x.valid.eq(0)
        with m.Elif(~hz.x_hold):
            m.d.sync += x.valid.eq(d.valid)
        with m.If(hz.x_hold):
            m.d.sync += [x.rs1v.eq(a), x.rs2v.eq(b)]      # keep forwarded values current
        with m.Else():
            m.d.sync += [
                x.pc.eq(d.pc), x.insn.eq(d.insn), x.len.eq(d.len),
                x.dec.eq(ddec), x.rs1v.eq(rf.d_rs1_data), x.rs2v.eq(rf.d_rs2_data),
                x.predicted.eq(predict), x.target.eq(d_pc_imm), x.target4.eq(d_pc_imm4),
                x.exc.eq(d.exc | d_illegal), x.exc_early.eq(d.exc | d_illegal),
                x.exc_fetch.eq(d.exc_fetch),
                x.cause.eq(Mux(d.exc, d.cause, ILLEGAL)), x.tval.eq(d.tval),
            ]
            if cfg.spc:
                # lrw2spc's address pc + offset comes from ID's target adder: its rs1 is
                # x0 (other encodings are illegal), so EX computes rs1 + imm as for loads
                m.d.sync += x.dec.imm.eq(Mux(op_is(ddec.op, Op.LRW2SPC), d_pc_imm, ddec.imm))

        # ------------------------------------------------------------------ EX
        op, f3, imm = x.dec.op, x.dec.funct3, x.dec.imm
        m.d.comb += [
            alu.x_a.eq(a), alu.x_b.eq(Mux(x.dec.use_imm, imm, b)), alu.x_funct3.eq(f3),
            alu.x_sub.eq(x.dec.alt), alu.x_word.eq(x.dec.word),
            shifter.x_a.eq(a), shifter.x_shamt.eq(Mux(x.dec.use_imm, imm[:6], b[:6])),
            shifter.x_left.eq(f3 == 1), shifter.x_arith.eq(x.dec.alt),
            shifter.x_word.eq(x.dec.word),
            compare.x_a.eq(a), compare.x_b.eq(b), compare.x_funct3.eq(f3),
            mul.x_a.eq(a), mul.x_b.eq(b), mul.x_funct3.eq(f3), mul.x_word.eq(x.dec.word),
            div.x_a.eq(a), div.x_b.eq(b), div.x_funct3.eq(f3), div.x_word.eq(x.dec.word),
        ]
        link = x.pc + x.len
        result = Signal(xlen)
        npc = Signal(xlen)
        m.d.comb += npc.eq(link)
        # EX redirects (mispredicted branch, jalr) give fetch the target + 4 as well, from
        # adders beside the target's (imm + 4 is ready long before the operands are).
        # pc-relative targets (and c.jall's absolute one) come from ID's adders, registered.
        imm4 = Signal(xlen)
        npc4 = Signal(xlen)
        m.d.comb += imm4.eq(imm + 4)
        with m.If(op == Op.JALR):
            m.d.comb += npc4.eq(Cat(C(0, 1), (a + imm4)[1:]))
        with m.Else():
            m.d.comb += npc4.eq(Mux(compare.x_taken, x.target4, x.pc + (x.len + 4)))
        with m.Switch(op):
            with m.Case(Op.ALU):
                m.d.comb += result.eq(Mux((f3 == 1) | (f3 == 5), shifter.x_result, alu.x_result))
            with m.Case(Op.LUI):
                m.d.comb += result.eq(imm)
            with m.Case(Op.AUIPC):
                m.d.comb += result.eq(x.target)
            with m.Case(Op.JAL, *([Op.JALL] if cfg.jall else [])):
                m.d.comb += [result.eq(link), npc.eq(x.target)]
            with m.Case(Op.JALR):
                m.d.comb += [result.eq(link), npc.eq(Cat(C(0, 1), (a + imm)[1:]))]
            with m.Case(Op.BRANCH):
                m.d.comb += npc.eq(Mux(compare.x_taken, x.target, link))
            with m.Case(Op.MUL):
                m.d.comb += result.eq(mul.x_result)
            with m.Case(Op.DIV):
                m.d.comb += result.eq(div.x_result)
            with m.Default():
                m.d.comb += result.eq(0)

        # interrupts: tag the instruction in EX unless MEM is changing interrupt state. A
        # wfi is never tagged: it completes, and the interrupt is taken on the instruction
        # after it (mepc = the wfi's pc + 4, as the privileged spec describes).
        x_intr = x.valid & trap.irq_ready & (op != Op.WFI) & \
            ~(mm.valid & ((mm.dec.op == Op.CSR) | (mm.dec.op == Op.MRET)))
        # wfi sleeps in EX (held like a division) until an interrupt is pending in mie & mip;
        # one that will trap as illegal (U-mode, mstatus.TW) goes on to MEM at once
        m.d.comb += hz.x_asleep.eq(x.valid & (op == Op.WFI) & ~x.exc & ~trap.wake &
                                   ((csr.mode == 3) | ~csr.status_tw))

        # multi-cycle units (the divider; the multiplier when iterative): start once per
        # instruction in EX, hold EX until done
        busy = []
        for unit, unit_op in [(div, Op.DIV)] + ([(mul, Op.MUL)] if iterative_mul else []):
            started = Signal(name=f"{unit_op.name.lower()}_started")
            runs = x.valid & (op == unit_op) & ~x.exc & ~x_intr
            m.d.comb += unit.x_start.eq(runs & ~started)
            m.d.sync += started.eq(runs & hz.x_hold & ~hz.m_redirect)   # not if killed
            busy.append(runs & ~unit.x_done)
        m.d.comb += hz.x_busy.eq(functools.reduce(operator.or_, busy))
        m_store = mm.valid & ~mm.exc & ~mm.intr & (mm.dec.op == Op.STORE)

        # memory access
        is_lrw = op_is(op, Op.LRW2SPC)
        is_load = (op == Op.LOAD) | is_lrw
        is_store = op == Op.STORE
        addr = Signal(xlen)
        size = Signal(2)
        m.d.comb += [addr.eq(a + imm),            # lrw2spc: 0 + (pc + offset), see ID
                     size.eq(Mux(is_lrw, 2 if xlen == 32 else 3, f3[:2]))]
        mem_op = x.valid & (is_load | is_store)
        m.d.comb += [
            lsu.x_addr.eq(addr), lsu.x_size.eq(size), lsu.x_wdata.eq(b),
        ]
        x_exc, x_cause, x_tval = Signal(), Signal(4), Signal(xlen)
        m.d.comb += [x_exc.eq(x.exc), x_cause.eq(x.cause), x_tval.eq(x.tval)]
        with m.If(~x.exc):
            with m.If(op == Op.ECALL):
                m.d.comb += [x_exc.eq(1), x_cause.eq(Mux(csr.mode == 3, ECALL_M, ECALL_U)),
                             x_tval.eq(0)]
            with m.Elif(op == Op.EBREAK):
                m.d.comb += [x_exc.eq(1), x_cause.eq(BREAKPOINT), x_tval.eq(x.pc)]
            with m.Elif(op_is(op, Op.JALL) & imm[0]):
                m.d.comb += [x_exc.eq(1), x_cause.eq(MISALIGNED_FETCH), x_tval.eq(imm)]
            with m.Elif(is_load | is_store):
                m.d.comb += x_tval.eq(addr)
                with m.If(lsu.x_misaligned):     # trigger, PMP and region: MEM
                    m.d.comb += [x_exc.eq(1), x_cause.eq(Mux(is_store, MISALIGNED_STORE,
                                                             MISALIGNED_LOAD))]
        # one data port: a store in MEM has it, a load in EX waits a cycle (the store's
        # own address checks, in MEM, only gate its write enable: see m_addr_exc)
        m.d.comb += [
            self.dbus_addr.eq(Mux(m_store, Cat(C(0, 3), mm.addr[3:]), lsu.x_bus_addr)),
            self.dbus_wmask.eq(mm.wmask), self.dbus_wdata.eq(mm.wdata),
            self.dbus_re.eq(mem_op & is_load & ~m_store),
            hz.x_port.eq(x.valid & is_load & m_store),
        ]
        # the register file reads for the instruction in ID next: the held one while ID holds
        f_rs1 = Mux(f_compressed, rvc.f_rs1, fetch.f_insn[15:20])   # not the full expansion
        f_rs2 = Mux(f_compressed, rvc.f_rs2, fetch.f_insn[20:25])
        m.d.comb += [rf.f_rs1.eq(Mux(hz.d_hold, ddec.rs1, f_rs1)),
                     rf.f_rs2.eq(Mux(hz.d_hold, ddec.rs2, f_rs2))]
        # Branches and jalr raise no EX exception of their own (address checks are for
        # loads and stores), so the redirect is gated by the ID-stage exception bit only.
        mispredict = (op == Op.BRANCH) & (compare.x_taken != x.predicted)
        m.d.comb += [hz.x_redirect.eq(x.valid & ~x.exc & ~x_intr & (mispredict | (op == Op.JALR))),
                     hz.x_target.eq(npc), hz.x_target_plus4.eq(npc4)]

        m.d.sync += [
            mm.valid.eq(x.valid & ~hz.m_kill), mm.pc.eq(x.pc), mm.insn.eq(x.insn),
            mm.len.eq(x.len),
            mm.dec.eq(x.dec), mm.rs1v.eq(a), mm.rs2v.eq(b), mm.npc.eq(npc),
            mm.result.eq(result), mm.addr.eq(addr), mm.size.eq(size),
            mm.exc.eq(x_exc), mm.cause.eq(x_cause), mm.tval.eq(x_tval),
            mm.exc_early.eq(x.exc_early), mm.exc_fetch.eq(x.exc_fetch),
            mm.intr.eq(x_intr), mm.intr_cause.eq(trap.irq_cause),
            mm.wmask.eq(Mux(is_store, lsu.x_bus_wmask, 0)), mm.wdata.eq(lsu.x_bus_wdata),
        ]

        # ------------------------------------------------------------------ MEM (commit)
        mop = mm.dec.op
        live = mm.valid & ~mm.exc & ~mm.intr
        # Data address checks on the registered address, after misalignment (EX): an
        # address-match trigger (breakpoint), then PMP and the region map (access fault).
        # A load's read has already happened; that has no side effect on this SoC.
        is_st = mop == Op.STORE
        is_mem = (mop == Op.LOAD) | op_is(mop, Op.LRW2SPC) | is_st
        m_mem = live & is_mem
        m.d.comb += [
            trig.m_addr.eq(mm.addr), trig.m_load.eq(~is_st), trig.m_store.eq(is_st),
            pmp.m_addr.eq(mm.addr), pmp.m_size.eq(mm.size), pmp.m_write.eq(is_st),
            pmp.m_priv.eq(csr.data_priv), lsu.m_addr.eq(mm.addr),
        ]
        m_bp = m_mem & trig.m_hit
        m_addr_exc = m_bp | m_mem & (pmp.m_deny | lsu.m_unmapped)
        m.d.comb += self.dbus_we.eq(m_store & ~m_addr_exc)
        is_csr = live & (mop == Op.CSR)
        csr_src = Mux(mm.dec.csr_imm, mm.dec.imm[:5], mm.dec.rs1)
        csr_writes = (mm.dec.funct3[:2] == 1) | (csr_src != 0)
        csr_num = mm.dec.csr
        csr_hit = Cat(*(c.m_csr_hit for c in csr_units)).any()
        csr_old = Signal(xlen)
        old_acc = C(0, xlen)
        for c in csr_units:
            old_acc = old_acc | c.m_csr_rdata
        m.d.comb += csr_old.eq(old_acc)
        csr_illegal = is_csr & (~csr_hit | (csr.mode < csr_num[8:10]) |
                                (csr_writes & (csr_num[10:12] == 3)))
        mret_illegal = live & (mop == Op.MRET) & (csr.mode != 3)
        wfi_illegal = live & (mop == Op.WFI) & (csr.mode != 3) & csr.status_tw
        late_illegal = csr_illegal | mret_illegal | wfi_illegal
        operand = Mux(mm.dec.csr_imm, mm.dec.imm[:5], mm.rs1v)
        csr_wdata = Signal(xlen)
        with m.Switch(mm.dec.funct3[:2]):
            with m.Case(1):
                m.d.comb += csr_wdata.eq(operand)
            with m.Case(2):
                m.d.comb += csr_wdata.eq(csr_old | operand)
            with m.Default():
                m.d.comb += csr_wdata.eq(csr_old & ~operand)
        csr_we = is_csr & csr_writes & ~late_illegal
        for c in csr_units:
            m.d.comb += [c.m_csr_num.eq(csr_num), c.m_csr_we.eq(csr_we),
                         c.m_csr_wdata.eq(csr_wdata)]

        m_trap = mm.valid & (mm.exc | mm.intr | late_illegal | m_addr_exc)
        m_retire = mm.valid & ~m_trap
        addr_cause = Mux(m_bp, BREAKPOINT, Mux(is_st, STORE_ACCESS, LOAD_ACCESS))
        cause = Mux(mm.intr, mm.intr_cause, Mux(mm.exc, mm.cause,
                                                Mux(m_addr_exc, addr_cause, ILLEGAL)))
        is_mret = m_retire & (mop == Op.MRET)
        npc_arch = Mux(mop == Op.MRET, csr.mepc, mm.npc)
        m.d.comb += [
            trap.mode.eq(csr.mode), trap.status_mie.eq(csr.status_mie), trap.mie.eq(csr.mie),
            trap.mip.eq(csr.mip), trap.mtvec.eq(csr.mtvec), trap.m_intr.eq(mm.intr),
            trap.m_cause.eq(cause), trap.m_insn.eq(mm.insn), trap.m_len.eq(mm.len),
            trap.m_tval_in.eq(Mux(mm.exc | m_addr_exc, mm.tval, 0)),   # tval = address
            csr.m_retire.eq(m_retire), csr.m_trap.eq(m_trap), csr.m_trap_intr.eq(mm.intr),
            csr.m_trap_cause.eq(cause), csr.m_trap_tval.eq(trap.m_tval), csr.m_pc.eq(mm.pc),
            csr.m_mret.eq(is_mret),
            csr.irq_msi.eq(self.irq_msi), csr.irq_mti.eq(self.irq_mti),
            csr.irq_mei.eq(self.irq_mei), csr.mtime.eq(self.mtime),
            lsu.m_funct3.eq(Mux(op_is(mop, Op.LRW2SPC), 2 if xlen == 32 else 3,
                                                mm.dec.funct3)),
            lsu.m_bus_rdata.eq(self.dbus_rdata),
        ]
        spc_jump = C(0, 1)
        if cfg.spc:
            m.d.comb += [
                spc.m_retire.eq(m_retire), spc.m_trap.eq(m_trap), spc.m_mret.eq(is_mret),
                spc.m_lrw.eq(m_retire & op_is(mop, Op.LRW2SPC)), spc.m_lrw_addr.eq(mm.addr),
                # an XLEN-wide load: the extended value is the raw bytes (no 2nd mux)
                spc.m_lrw_value.eq(lsu.m_value), spc.m_npc.eq(npc_arch),
            ]
            spc_jump = spc.m_jump
            # fetch takes the target from the spc register one cycle later (RVFI: now)
            m.d.comb += [hz.m_late_sel.eq(spc_jump), hz.m_late_target.eq(spc.spc),
                         hz.m_late_target_plus4.eq(spc.spc + 4)]

        flush_after = is_mret | (m_retire & (mop == Op.FENCEI)) | csr_we | spc_jump
        m.d.comb += [hz.m_redirect.eq(m_trap | flush_after),
                     hz.m_trap.eq(m_trap), hz.m_trap_target.eq(trap.m_target),
                     hz.m_target.eq(npc_arch)]
        final = Mux(mop == Op.LOAD, lsu.m_value, Mux(mop == Op.CSR, csr_old, mm.result))
        rd_write = m_retire & mm.dec.has_rd & (mm.dec.rd != 0)
        m.d.sync += [w_valid.eq(rd_write), w_rd.eq(mm.dec.rd), w_data.eq(final)]

        # ------------------------------------------------------------------ WB
        m.d.comb += [rf.w_rd.eq(w_rd), rf.w_en.eq(w_valid), rf.w_data.eq(w_data)]
        for p in PERF:
            m.d.comb += getattr(self, "perf_" + p).eq(getattr(hz, "perf_" + p))

        # ------------------------------------------------------------------ RVFI
        if cfg.rvfi:
            u.rvfi = rv = RvfiController(xlen)
            insn = Signal(48)
            with m.Switch(mm.len):
                with m.Case(2):
                    m.d.comb += insn.eq(mm.insn[:16])
                with m.Case(4):
                    m.d.comb += insn.eq(mm.insn[:32])
                with m.Default():
                    m.d.comb += insn.eq(mm.insn)
            fields_ok = ~mm.exc_early
            mem_ok = m_retire & is_mem
            nbytes_mask = Signal(8)          # 1, 2, 4 or 8 bytes (a table, not a shift)
            with m.Switch(mm.size):
                for sz in range(4):
                    with m.Case(sz):
                        m.d.comb += nbytes_mask.eq((1 << (1 << sz)) - 1)
            m.d.comb += [
                rv.m_valid.eq(mm.valid & ~mm.intr),
                rv.m_intr_taken.eq(mm.valid & mm.intr),
                rv.m_insn.eq(Mux(mm.exc_fetch, 0, insn)),
                rv.m_trap.eq(m_trap), rv.m_mode.eq(csr.mode),
                rv.m_rs1_addr.eq(Mux(fields_ok & mm.dec.has_rs1, mm.dec.rs1, 0)),
                rv.m_rs2_addr.eq(Mux(fields_ok & mm.dec.has_rs2, mm.dec.rs2, 0)),
                rv.m_rs1_rdata.eq(Mux(fields_ok & mm.dec.has_rs1, mm.rs1v, 0)),
                rv.m_rs2_rdata.eq(Mux(fields_ok & mm.dec.has_rs2, mm.rs2v, 0)),
                rv.m_rd_addr.eq(Mux(rd_write, mm.dec.rd, 0)),
                rv.m_rd_wdata.eq(Mux(rd_write, final, 0)),
                rv.m_pc_rdata.eq(mm.pc),
                rv.m_pc_wdata.eq(Mux(m_trap, trap.m_target, Mux(spc_jump, spc.m_target, npc_arch)
                                     if cfg.spc else npc_arch)),
                rv.m_mem_addr.eq(Mux(mem_ok, mm.addr, 0)),
                rv.m_mem_rmask.eq(Mux(mem_ok & ~is_st, nbytes_mask, 0)),
                rv.m_mem_wmask.eq(Mux(mem_ok & is_st, nbytes_mask, 0)),
                rv.m_mem_rdata.eq(Mux(mem_ok & ~is_st, lsu.m_raw, 0)),
                rv.m_mem_wdata.eq(Mux(mem_ok & is_st, mm.rs2v & Cat(*(
                    nbytes_mask[i].replicate(8) for i in range(8)))[:xlen], 0)),
                rv.m_ext_mip.eq(csr.mip), rv.m_ext_mcycle.eq(csr.mcycle),
            ]
            for k in rvfi_fields(xlen):
                m.d.comb += getattr(self, "rvfi_" + k).eq(getattr(rv, "rvfi_" + k))
        # ------------------------------------------------------------------ pipeview
        # Debug port for `--pipeview` (sim/bench/pipeview.py), RVFI builds only: a
        # sequence number per instruction IF presents, moved along exactly when the
        # pipeline registers load (IF->ID unless ID holds, ID->EX unless EX holds,
        # EX->MEM every cycle); where a register is killed its valid bit is 0, so the
        # number it loads does not matter. Nothing here feeds back into the core.
        if cfg.rvfi:
            seq, d_seq, x_seq, m_seq = (Signal(SEQ_BITS, name=n) for n in
                                        ("pv_seq", "pv_d_seq_r", "pv_x_seq_r", "pv_m_seq_r"))
            w_seq, w_valid_pv, w_trap_pv = Signal(SEQ_BITS), Signal(), Signal()
            with m.If(fetch.f_valid & (hz.d_kill | ~hz.d_hold)):   # IF's instruction leaves
                m.d.sync += seq.eq(seq + 1)
            with m.If(~hz.d_hold):
                m.d.sync += d_seq.eq(seq)
            with m.If(~hz.x_hold):
                m.d.sync += x_seq.eq(d_seq)
            m.d.sync += [m_seq.eq(x_seq), w_seq.eq(m_seq),
                         w_valid_pv.eq(mm.valid & ~mm.intr), w_trap_pv.eq(m_trap)]
            m.d.comb += [
                self.pv_f_valid.eq(fetch.f_valid), self.pv_f_seq.eq(seq),
                self.pv_f_pc.eq(fetch.f_pc), self.pv_f_insn.eq(fetch.f_insn),
                self.pv_d_valid.eq(d.valid), self.pv_d_seq.eq(d_seq),
                self.pv_x_valid.eq(x.valid), self.pv_x_seq.eq(x_seq),
                self.pv_m_valid.eq(mm.valid), self.pv_m_seq.eq(m_seq),
                self.pv_w_valid.eq(w_valid_pv), self.pv_w_trap.eq(w_trap_pv),
                self.pv_w_seq.eq(w_seq),
            ]
        return m
