"use strict";
const STRICT = false;
return function (FIX) {
const BC = new Float64Array(3), IDX = new Int16Array(1024).fill(-1);
for (let i = 0; i < FIX.length; i++) IDX[(FIX[i].pcs[0] & 0xfff) >>> 2] = i;
return function region(m, maxSteps, out) {
  const RR = m.R, S = 0, HELD = m.tlb.unguarded, CODE = out.code;
  let r0 = 0, r1 = 0, r2 = 0, r3 = 0, r4 = 0, r5 = 0, r6 = 0, r7 = 0, r8 = 0, r9 = 0, r10 = 0, r11 = 0, r12 = 0, r13 = 0, r14 = 0, r15 = 0, blk = 0, chained = 0, part = 0, stall = 0, go = 0;
  const R = m.R, FAST = m.tlb.fast, MEM = m.memory.words, MEM8 = m.memory.bytes, OPS = m.ops;
  let pc = 0, left = maxSteps, base = 0, limit = 0;
  let fop = 0, fres = 0, fa = 0, fb = 0, fstat = 0, rmask = 0, wmask = 0;
  let op = 0, w = 0, va = 0, te = 0, tv = 0, dh = 0, slowFetches = 0, faulted = 0, stop, ev;
  pc = m.pc >>> 0;
  base = m.time + left;
  limit = Math.max(0, base - m.checkAt);
  fop = m.fop;
  fres = m.fres;
  fa = m.fa;
  fb = m.fb;
  fstat = m.fstat;
  rmask = m.readMask;
  wmask = m.writeMask;
  r0 = RR[0];
  r1 = RR[1];
  r2 = RR[2];
  r3 = RR[3];
  r4 = RR[4];
  r5 = RR[5];
  r6 = RR[6];
  r7 = RR[7];
  r8 = RR[8];
  r9 = RR[9];
  r10 = RR[10];
  r11 = RR[11];
  r12 = RR[12];
  r13 = RR[13];
  r14 = RR[14];
  r15 = RR[15];
  const ce = FAST[S];
  try {
    dispatch: for (;;) {
      if (pc >>> 12 !== 0 || (pc & 3) !== 0 || FAST[S] !== ce || (ce & rmask) !== rmask) break;
      go = IDX[(pc & 0xfff) >>> 2];
      select: for (;;) {
        switch (go) {
          case 0: loop0: for (;;) {
            // 0x00000018
            if (left - 5 < limit) { stall = 5; break dispatch; }
            blk = 0;
            { // MUL
              r4 = Math.imul(r2, r2);
            }
            { // ADD
              r1 = (fa = r1, fb = r4, fop = 1, fres = (fa + fb) | 0);
            }
            { // ADDI
              r2 = (fa = r2, fb = 1, fop = 1, fres = (fa + fb) | 0);
            }
            { // CMP
              (fa = r2, fb = r3, fop = 2, fres = (fa - fb) | 0);
            }
            { // JL
              pc = (fop === 2 ? fa < fb : evalCond(2, fop, fres, fa, fb, fstat)) ? 24 >>> 0 : 0x00000030;
            }
            left -= 5;
            BC[0]++;
            if (pc === 0x00000018) continue loop0;
            if (pc === 0x00000030) { go = 1; continue select; }
            continue dispatch;
          }
          case 1: { // 0x00000030
            if (left - 1 < limit) { stall = 1; break dispatch; }
            blk = 1;
            { // OUT
              m.time = base - left;
              if (m.cpl > m.iopl) { ev = m.fault(13); break dispatch; }
              m.portOut(17, r1);
              limit = Math.max(0, base - m.checkAt);
            }
            left -= 1;
            pc = 0x00000034;
            BC[1]++;
            continue dispatch;
          }
          case 2: { // 0x00000034
            if (left - 1 < limit) { stall = 1; break dispatch; }
            blk = 2;
            { // HLT
              if (m.cpl !== 0) { ev = m.fault(13); break dispatch; }
              { ev = m.haltEvent(0x00000038); break dispatch; }
            }
            left -= 1;
            BC[2]++;
            continue dispatch;
          }
          default:
            break dispatch;
        }
      }
    }
  } catch (e) {
    ev = e;
  }
  if (ev !== undefined) {
    {
      const fx = FIX[blk], k = fx.pcs.indexOf(pc);
      if (k < 0) throw ev;
      for (let i = 0; i < k; i++) OPS[fx.ops[i]]++;
      left -= fx.unflushed[k];
      op = fx.ops[k];
    }
    chained += countBlocks(OPS, BC, FIX);
    if (ev instanceof CpuEvent && ev.returnPc !== undefined) {
      OPS[op]++;
      left--;
    } else faulted++;
    m.pc = pc;
    m.time = base - left;
    m.fop = fop;
    m.fres = fres;
    m.fa = fa;
    m.fb = fb;
    m.fstat = fstat;
    RR[0] = r0;
    RR[1] = r1;
    RR[2] = r2;
    RR[3] = r3;
    RR[4] = r4;
    RR[5] = r5;
    RR[6] = r6;
    RR[7] = r7;
    RR[8] = r8;
    RR[9] = r9;
    RR[10] = r10;
    RR[11] = r11;
    RR[12] = r12;
    RR[13] = r13;
    RR[14] = r14;
    RR[15] = r15;
    const s = m.onEvent(ev, pc);
    pc = m.pc >>> 0;
    base = m.time + left;
    limit = Math.max(0, base - m.checkAt);
    rmask = m.readMask;
    wmask = m.writeMask;
    r0 = RR[0];
    r1 = RR[1];
    r2 = RR[2];
    r3 = RR[3];
    r4 = RR[4];
    r5 = RR[5];
    r6 = RR[6];
    r7 = RR[7];
    r8 = RR[8];
    r9 = RR[9];
    r10 = RR[10];
    r11 = RR[11];
    r12 = RR[12];
    r13 = RR[13];
    r14 = RR[14];
    r15 = RR[15];
    if (s !== undefined) {
      stop = s;
      out.left = left;
      out.chained += chained;
      m.pc = pc;
      m.time = base - left;
      m.fop = fop;
      m.fres = fres;
      m.fa = fa;
      m.fb = fb;
      m.fstat = fstat;
      RR[0] = r0;
      RR[1] = r1;
      RR[2] = r2;
      RR[3] = r3;
      RR[4] = r4;
      RR[5] = r5;
      RR[6] = r6;
      RR[7] = r7;
      RR[8] = r8;
      RR[9] = r9;
      RR[10] = r10;
      RR[11] = r11;
      RR[12] = r12;
      RR[13] = r13;
      RR[14] = r14;
      RR[15] = r15;
      m.counters.tlbHits += maxSteps - left + faulted - slowFetches + dh;
      return stop;
    }
  }
  if (part !== 0) {
    // Left inside a block, before the instruction at pc: count the ones before it.
    const fx = FIX[blk], k = fx.pcs.indexOf(pc);
    for (let i = 0; i < k; i++) OPS[fx.ops[i]]++;
    left -= part - 1;
  }
  stop = undefined;
  out.left = left;
  out.stall = stall;
  chained += countBlocks(OPS, BC, FIX);
  out.chained += chained;
  m.pc = pc;
  m.time = base - left;
  m.fop = fop;
  m.fres = fres;
  m.fa = fa;
  m.fb = fb;
  m.fstat = fstat;
  RR[0] = r0;
  RR[1] = r1;
  RR[2] = r2;
  RR[3] = r3;
  RR[4] = r4;
  RR[5] = r5;
  RR[6] = r6;
  RR[7] = r7;
  RR[8] = r8;
  RR[9] = r9;
  RR[10] = r10;
  RR[11] = r11;
  RR[12] = r12;
  RR[13] = r13;
  RR[14] = r14;
  RR[15] = r15;
  m.counters.tlbHits += maxSteps - left + faulted - slowFetches + dh;
  return stop;
};
};
//# sourceURL=vmlab-dbt-x86-0x00000000.js
