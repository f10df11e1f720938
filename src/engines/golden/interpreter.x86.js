"use strict";
const STRICT = false;
return function run(m, maxSteps) {
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
  for (;;) {
    try {
      events: for (;;) {
        if (left <= limit) {
          if (left <= 0) {
            stop = { kind: "budget", pc };
            m.pc = pc;
            m.time = base - left;
            m.fop = fop;
            m.fres = fres;
            m.fa = fa;
            m.fb = fb;
            m.fstat = fstat;
            m.counters.tlbHits += maxSteps - left + faulted - slowFetches + dh;
            return stop;
          }
          m.pc = pc;
          m.time = base - left;
          m.fop = fop;
          m.fres = fres;
          m.fa = fa;
          m.fb = fb;
          m.fstat = fstat;
          const s = m.boundary();
          pc = m.pc >>> 0;
          limit = Math.max(0, base - m.checkAt);
          rmask = m.readMask;
          wmask = m.writeMask;
          if (s !== undefined) {
            stop = s;
            m.pc = pc;
            m.time = base - left;
            m.fop = fop;
            m.fres = fres;
            m.fa = fa;
            m.fb = fb;
            m.fstat = fstat;
            m.counters.tlbHits += maxSteps - left + faulted - slowFetches + dh;
            return stop;
          }
        }
        if ((te = FAST[(pc >>> 12) & 4095], (te & (rmask | 4080)) === (((pc >>> 20) & 4080) | rmask)) && (pc & 3) === 0) w = MEM[((te & ~0xfff) | (pc & 0xfff)) >>> 2];
        else {
          slowFetches++;
          w = m.fetch(pc);
        }
        op = w >>> 24;
        switch (op) {
          case 1: { // NOP
            const next = (pc + 4) >>> 0;
            pc = next;
            break;
          }
          case 2: { // MOV
            const a = (w >>> 20) & 15;
            const b = (w >>> 16) & 15;
            const next = (pc + 4) >>> 0;
            R[a] = R[b];
            pc = next;
            break;
          }
          case 3: { // MOVI
            const a = (w >>> 20) & 15;
            const p2 = (pc + 4) >>> 0;
            const imm = (te = FAST[(p2 >>> 12) & 4095], (te & (rmask | 4080)) === (((p2 >>> 20) & 4080) | rmask)) ? MEM[((te & ~0xfff) | (p2 & 0xfff)) >>> 2] : fetchImmediate(m, p2) | 0;
            const next = (pc + 8) >>> 0;
            R[a] = imm;
            pc = next;
            break;
          }
          case 4: { // LD
            const a = (w >>> 20) & 15;
            const b = (w >>> 16) & 15;
            const imm = (w << 16) >> 16;
            const next = (pc + 4) >>> 0;
            R[a] = (va = (R[b] + imm) >>> 0, (te = FAST[(va >>> 12) & 4095], (te & (rmask | 4080)) === (((va >>> 20) & 4080) | rmask)) && (va & 3) === 0 ? (dh++, MEM[((te & ~0xfff) | (va & 0xfff)) >>> 2]) : m.rd32.call(m, va));
            pc = next;
            break;
          }
          case 5: { // ST
            const a = (w >>> 20) & 15;
            const b = (w >>> 16) & 15;
            const imm = (w << 16) >> 16;
            const next = (pc + 4) >>> 0;
            (va = (R[b] + imm) >>> 0, tv = R[a], (te = FAST[(va >>> 12) & 4095], (te & (wmask | 4080)) === (((va >>> 20) & 4080) | wmask)) && (va & 3) === 0 ? (dh++, MEM[((te & ~0xfff) | (va & 0xfff)) >>> 2] = tv) : m.wr32.call(m, va, tv));
            pc = next;
            break;
          }
          case 6: { // LDB
            const a = (w >>> 20) & 15;
            const b = (w >>> 16) & 15;
            const imm = (w << 16) >> 16;
            const next = (pc + 4) >>> 0;
            R[a] = (va = (R[b] + imm) >>> 0, (te = FAST[(va >>> 12) & 4095], (te & (rmask | 4080)) === (((va >>> 20) & 4080) | rmask)) ? (dh++, MEM8[(te & ~0xfff) | (va & 0xfff)]) : m.rd8.call(m, va));
            pc = next;
            break;
          }
          case 7: { // STB
            const a = (w >>> 20) & 15;
            const b = (w >>> 16) & 15;
            const imm = (w << 16) >> 16;
            const next = (pc + 4) >>> 0;
            (va = (R[b] + imm) >>> 0, tv = R[a], (te = FAST[(va >>> 12) & 4095], (te & (wmask | 4080)) === (((va >>> 20) & 4080) | wmask)) ? (dh++, MEM8[(te & ~0xfff) | (va & 0xfff)] = tv) : m.wr8.call(m, va, tv));
            pc = next;
            break;
          }
          case 8: { // PUSH
            const a = (w >>> 20) & 15;
            const next = (pc + 4) >>> 0;
            (tv = R[a], va = (R[15] - 4) >>> 0, (te = FAST[(va >>> 12) & 4095], (te & (wmask | 4080)) === (((va >>> 20) & 4080) | wmask)) && (va & 3) === 0 ? (dh++, MEM[((te & ~0xfff) | (va & 0xfff)) >>> 2] = tv) : m.wr32.call(m, va, tv), R[15] = va);
            pc = next;
            break;
          }
          case 9: { // POP
            const a = (w >>> 20) & 15;
            const next = (pc + 4) >>> 0;
            { const v = (va = R[15] >>> 0, tv = (te = FAST[(va >>> 12) & 4095], (te & (rmask | 4080)) === (((va >>> 20) & 4080) | rmask)) && (va & 3) === 0 ? (dh++, MEM[((te & ~0xfff) | (va & 0xfff)) >>> 2]) : m.rd32.call(m, va), R[15] = (va + 4) | 0, tv); R[a] = v; }
            pc = next;
            break;
          }
          case 16: { // ADD
            const a = (w >>> 20) & 15;
            const b = (w >>> 16) & 15;
            const c = (w >>> 12) & 15;
            const next = (pc + 4) >>> 0;
            R[a] = (fa = R[b], fb = R[c], fop = 1, fres = (fa + fb) | 0);
            pc = next;
            break;
          }
          case 17: { // SUB
            const a = (w >>> 20) & 15;
            const b = (w >>> 16) & 15;
            const c = (w >>> 12) & 15;
            const next = (pc + 4) >>> 0;
            R[a] = (fa = R[b], fb = R[c], fop = 2, fres = (fa - fb) | 0);
            pc = next;
            break;
          }
          case 18: { // AND
            const a = (w >>> 20) & 15;
            const b = (w >>> 16) & 15;
            const c = (w >>> 12) & 15;
            const next = (pc + 4) >>> 0;
            R[a] = (fop = 3, fres = (R[b] & R[c]) | 0);
            pc = next;
            break;
          }
          case 19: { // OR
            const a = (w >>> 20) & 15;
            const b = (w >>> 16) & 15;
            const c = (w >>> 12) & 15;
            const next = (pc + 4) >>> 0;
            R[a] = (fop = 3, fres = (R[b] | R[c]) | 0);
            pc = next;
            break;
          }
          case 20: { // XOR
            const a = (w >>> 20) & 15;
            const b = (w >>> 16) & 15;
            const c = (w >>> 12) & 15;
            const next = (pc + 4) >>> 0;
            R[a] = (fop = 3, fres = (R[b] ^ R[c]) | 0);
            pc = next;
            break;
          }
          case 21: { // SHL
            const a = (w >>> 20) & 15;
            const b = (w >>> 16) & 15;
            const c = (w >>> 12) & 15;
            const next = (pc + 4) >>> 0;
            R[a] = (fop = 3, fres = (R[b] << (R[c] & 31)) | 0);
            pc = next;
            break;
          }
          case 22: { // SHR
            const a = (w >>> 20) & 15;
            const b = (w >>> 16) & 15;
            const c = (w >>> 12) & 15;
            const next = (pc + 4) >>> 0;
            R[a] = (fop = 3, fres = (R[b] >>> (R[c] & 31)) | 0);
            pc = next;
            break;
          }
          case 23: { // SAR
            const a = (w >>> 20) & 15;
            const b = (w >>> 16) & 15;
            const c = (w >>> 12) & 15;
            const next = (pc + 4) >>> 0;
            R[a] = (fop = 3, fres = (R[b] >> (R[c] & 31)) | 0);
            pc = next;
            break;
          }
          case 24: { // MUL
            const a = (w >>> 20) & 15;
            const b = (w >>> 16) & 15;
            const c = (w >>> 12) & 15;
            const next = (pc + 4) >>> 0;
            R[a] = Math.imul(R[b], R[c]);
            pc = next;
            break;
          }
          case 25: { // DIV
            const a = (w >>> 20) & 15;
            const b = (w >>> 16) & 15;
            const c = (w >>> 12) & 15;
            const next = (pc + 4) >>> 0;
            R[a] = (R[b] / m.divisor(R[c])) | 0;
            pc = next;
            break;
          }
          case 26: { // DIVU
            const a = (w >>> 20) & 15;
            const b = (w >>> 16) & 15;
            const c = (w >>> 12) & 15;
            const next = (pc + 4) >>> 0;
            R[a] = ((R[b] >>> 0) / (m.divisor(R[c]) >>> 0)) | 0;
            pc = next;
            break;
          }
          case 27: { // REM
            const a = (w >>> 20) & 15;
            const b = (w >>> 16) & 15;
            const c = (w >>> 12) & 15;
            const next = (pc + 4) >>> 0;
            R[a] = (R[b] % m.divisor(R[c])) | 0;
            pc = next;
            break;
          }
          case 28: { // REMU
            const a = (w >>> 20) & 15;
            const b = (w >>> 16) & 15;
            const c = (w >>> 12) & 15;
            const next = (pc + 4) >>> 0;
            R[a] = ((R[b] >>> 0) % (m.divisor(R[c]) >>> 0)) | 0;
            pc = next;
            break;
          }
          case 29: { // NOT
            const a = (w >>> 20) & 15;
            const b = (w >>> 16) & 15;
            const next = (pc + 4) >>> 0;
            R[a] = ~R[b];
            pc = next;
            break;
          }
          case 30: { // NEG
            const a = (w >>> 20) & 15;
            const b = (w >>> 16) & 15;
            const next = (pc + 4) >>> 0;
            R[a] = (fa = 0, fb = R[b], fop = 2, fres = (fa - fb) | 0);
            pc = next;
            break;
          }
          case 32: { // ADDI
            const a = (w >>> 20) & 15;
            const b = (w >>> 16) & 15;
            const imm = (w << 16) >> 16;
            const next = (pc + 4) >>> 0;
            R[a] = (fa = R[b], fb = imm, fop = 1, fres = (fa + fb) | 0);
            pc = next;
            break;
          }
          case 33: { // SUBI
            const a = (w >>> 20) & 15;
            const b = (w >>> 16) & 15;
            const imm = (w << 16) >> 16;
            const next = (pc + 4) >>> 0;
            R[a] = (fa = R[b], fb = imm, fop = 2, fres = (fa - fb) | 0);
            pc = next;
            break;
          }
          case 34: { // ANDI
            const a = (w >>> 20) & 15;
            const b = (w >>> 16) & 15;
            const imm = (w << 16) >> 16;
            const next = (pc + 4) >>> 0;
            R[a] = (fop = 3, fres = (R[b] & imm) | 0);
            pc = next;
            break;
          }
          case 35: { // ORI
            const a = (w >>> 20) & 15;
            const b = (w >>> 16) & 15;
            const imm = (w << 16) >> 16;
            const next = (pc + 4) >>> 0;
            R[a] = (fop = 3, fres = (R[b] | imm) | 0);
            pc = next;
            break;
          }
          case 36: { // XORI
            const a = (w >>> 20) & 15;
            const b = (w >>> 16) & 15;
            const imm = (w << 16) >> 16;
            const next = (pc + 4) >>> 0;
            R[a] = (fop = 3, fres = (R[b] ^ imm) | 0);
            pc = next;
            break;
          }
          case 37: { // SHLI
            const a = (w >>> 20) & 15;
            const b = (w >>> 16) & 15;
            const imm = w & 0xffff;
            const next = (pc + 4) >>> 0;
            R[a] = (fop = 3, fres = (R[b] << (imm & 31)) | 0);
            pc = next;
            break;
          }
          case 38: { // SHRI
            const a = (w >>> 20) & 15;
            const b = (w >>> 16) & 15;
            const imm = w & 0xffff;
            const next = (pc + 4) >>> 0;
            R[a] = (fop = 3, fres = (R[b] >>> (imm & 31)) | 0);
            pc = next;
            break;
          }
          case 39: { // SARI
            const a = (w >>> 20) & 15;
            const b = (w >>> 16) & 15;
            const imm = w & 0xffff;
            const next = (pc + 4) >>> 0;
            R[a] = (fop = 3, fres = (R[b] >> (imm & 31)) | 0);
            pc = next;
            break;
          }
          case 40: { // MULI
            const a = (w >>> 20) & 15;
            const b = (w >>> 16) & 15;
            const imm = (w << 16) >> 16;
            const next = (pc + 4) >>> 0;
            R[a] = Math.imul(R[b], imm);
            pc = next;
            break;
          }
          case 42: { // CMP
            const a = (w >>> 20) & 15;
            const b = (w >>> 16) & 15;
            const next = (pc + 4) >>> 0;
            (fa = R[a], fb = R[b], fop = 2, fres = (fa - fb) | 0);
            pc = next;
            break;
          }
          case 43: { // CMPI
            const a = (w >>> 20) & 15;
            const imm = (w << 16) >> 16;
            const next = (pc + 4) >>> 0;
            (fa = R[a], fb = imm, fop = 2, fres = (fa - fb) | 0);
            pc = next;
            break;
          }
          case 44: { // TEST
            const a = (w >>> 20) & 15;
            const b = (w >>> 16) & 15;
            const next = (pc + 4) >>> 0;
            (fop = 3, fres = (R[a] & R[b]) | 0);
            pc = next;
            break;
          }
          case 48: { // JMP
            const p2 = (pc + 4) >>> 0;
            const imm = (te = FAST[(p2 >>> 12) & 4095], (te & (rmask | 4080)) === (((p2 >>> 20) & 4080) | rmask)) ? MEM[((te & ~0xfff) | (p2 & 0xfff)) >>> 2] : fetchImmediate(m, p2) | 0;
            const next = (pc + 8) >>> 0;
            pc = imm >>> 0;
            break;
          }
          case 49: { // JZ
            const p2 = (pc + 4) >>> 0;
            const imm = (te = FAST[(p2 >>> 12) & 4095], (te & (rmask | 4080)) === (((p2 >>> 20) & 4080) | rmask)) ? MEM[((te & ~0xfff) | (p2 & 0xfff)) >>> 2] : fetchImmediate(m, p2) | 0;
            const next = (pc + 8) >>> 0;
            pc = (fop !== 0 ? fres === 0 : evalCond(0, fop, fres, fa, fb, fstat)) ? imm >>> 0 : next;
            break;
          }
          case 50: { // JNZ
            const p2 = (pc + 4) >>> 0;
            const imm = (te = FAST[(p2 >>> 12) & 4095], (te & (rmask | 4080)) === (((p2 >>> 20) & 4080) | rmask)) ? MEM[((te & ~0xfff) | (p2 & 0xfff)) >>> 2] : fetchImmediate(m, p2) | 0;
            const next = (pc + 8) >>> 0;
            pc = (fop !== 0 ? fres !== 0 : evalCond(1, fop, fres, fa, fb, fstat)) ? imm >>> 0 : next;
            break;
          }
          case 51: { // JL
            const p2 = (pc + 4) >>> 0;
            const imm = (te = FAST[(p2 >>> 12) & 4095], (te & (rmask | 4080)) === (((p2 >>> 20) & 4080) | rmask)) ? MEM[((te & ~0xfff) | (p2 & 0xfff)) >>> 2] : fetchImmediate(m, p2) | 0;
            const next = (pc + 8) >>> 0;
            pc = (fop === 2 ? fa < fb : evalCond(2, fop, fres, fa, fb, fstat)) ? imm >>> 0 : next;
            break;
          }
          case 52: { // JGE
            const p2 = (pc + 4) >>> 0;
            const imm = (te = FAST[(p2 >>> 12) & 4095], (te & (rmask | 4080)) === (((p2 >>> 20) & 4080) | rmask)) ? MEM[((te & ~0xfff) | (p2 & 0xfff)) >>> 2] : fetchImmediate(m, p2) | 0;
            const next = (pc + 8) >>> 0;
            pc = (fop === 2 ? fa >= fb : evalCond(3, fop, fres, fa, fb, fstat)) ? imm >>> 0 : next;
            break;
          }
          case 53: { // JLE
            const p2 = (pc + 4) >>> 0;
            const imm = (te = FAST[(p2 >>> 12) & 4095], (te & (rmask | 4080)) === (((p2 >>> 20) & 4080) | rmask)) ? MEM[((te & ~0xfff) | (p2 & 0xfff)) >>> 2] : fetchImmediate(m, p2) | 0;
            const next = (pc + 8) >>> 0;
            pc = (fop === 2 ? fa <= fb : evalCond(4, fop, fres, fa, fb, fstat)) ? imm >>> 0 : next;
            break;
          }
          case 54: { // JG
            const p2 = (pc + 4) >>> 0;
            const imm = (te = FAST[(p2 >>> 12) & 4095], (te & (rmask | 4080)) === (((p2 >>> 20) & 4080) | rmask)) ? MEM[((te & ~0xfff) | (p2 & 0xfff)) >>> 2] : fetchImmediate(m, p2) | 0;
            const next = (pc + 8) >>> 0;
            pc = (fop === 2 ? fa > fb : evalCond(5, fop, fres, fa, fb, fstat)) ? imm >>> 0 : next;
            break;
          }
          case 55: { // JB
            const p2 = (pc + 4) >>> 0;
            const imm = (te = FAST[(p2 >>> 12) & 4095], (te & (rmask | 4080)) === (((p2 >>> 20) & 4080) | rmask)) ? MEM[((te & ~0xfff) | (p2 & 0xfff)) >>> 2] : fetchImmediate(m, p2) | 0;
            const next = (pc + 8) >>> 0;
            pc = (fop === 2 ? (fa >>> 0) < (fb >>> 0) : evalCond(6, fop, fres, fa, fb, fstat)) ? imm >>> 0 : next;
            break;
          }
          case 56: { // JAE
            const p2 = (pc + 4) >>> 0;
            const imm = (te = FAST[(p2 >>> 12) & 4095], (te & (rmask | 4080)) === (((p2 >>> 20) & 4080) | rmask)) ? MEM[((te & ~0xfff) | (p2 & 0xfff)) >>> 2] : fetchImmediate(m, p2) | 0;
            const next = (pc + 8) >>> 0;
            pc = (fop === 2 ? (fa >>> 0) >= (fb >>> 0) : evalCond(7, fop, fres, fa, fb, fstat)) ? imm >>> 0 : next;
            break;
          }
          case 57: { // JBE
            const p2 = (pc + 4) >>> 0;
            const imm = (te = FAST[(p2 >>> 12) & 4095], (te & (rmask | 4080)) === (((p2 >>> 20) & 4080) | rmask)) ? MEM[((te & ~0xfff) | (p2 & 0xfff)) >>> 2] : fetchImmediate(m, p2) | 0;
            const next = (pc + 8) >>> 0;
            pc = (fop === 2 ? (fa >>> 0) <= (fb >>> 0) : evalCond(8, fop, fres, fa, fb, fstat)) ? imm >>> 0 : next;
            break;
          }
          case 58: { // JA
            const p2 = (pc + 4) >>> 0;
            const imm = (te = FAST[(p2 >>> 12) & 4095], (te & (rmask | 4080)) === (((p2 >>> 20) & 4080) | rmask)) ? MEM[((te & ~0xfff) | (p2 & 0xfff)) >>> 2] : fetchImmediate(m, p2) | 0;
            const next = (pc + 8) >>> 0;
            pc = (fop === 2 ? (fa >>> 0) > (fb >>> 0) : evalCond(9, fop, fres, fa, fb, fstat)) ? imm >>> 0 : next;
            break;
          }
          case 59: { // JS
            const p2 = (pc + 4) >>> 0;
            const imm = (te = FAST[(p2 >>> 12) & 4095], (te & (rmask | 4080)) === (((p2 >>> 20) & 4080) | rmask)) ? MEM[((te & ~0xfff) | (p2 & 0xfff)) >>> 2] : fetchImmediate(m, p2) | 0;
            const next = (pc + 8) >>> 0;
            pc = evalCond(10, fop, fres, fa, fb, fstat) ? imm >>> 0 : next;
            break;
          }
          case 60: { // JNS
            const p2 = (pc + 4) >>> 0;
            const imm = (te = FAST[(p2 >>> 12) & 4095], (te & (rmask | 4080)) === (((p2 >>> 20) & 4080) | rmask)) ? MEM[((te & ~0xfff) | (p2 & 0xfff)) >>> 2] : fetchImmediate(m, p2) | 0;
            const next = (pc + 8) >>> 0;
            pc = evalCond(11, fop, fres, fa, fb, fstat) ? imm >>> 0 : next;
            break;
          }
          case 61: { // CALL
            const p2 = (pc + 4) >>> 0;
            const imm = (te = FAST[(p2 >>> 12) & 4095], (te & (rmask | 4080)) === (((p2 >>> 20) & 4080) | rmask)) ? MEM[((te & ~0xfff) | (p2 & 0xfff)) >>> 2] : fetchImmediate(m, p2) | 0;
            const next = (pc + 8) >>> 0;
            (tv = next, va = (R[15] - 4) >>> 0, (te = FAST[(va >>> 12) & 4095], (te & (wmask | 4080)) === (((va >>> 20) & 4080) | wmask)) && (va & 3) === 0 ? (dh++, MEM[((te & ~0xfff) | (va & 0xfff)) >>> 2] = tv) : m.wr32.call(m, va, tv), R[15] = va);
            pc = imm >>> 0;
            break;
          }
          case 62: { // RET
            const next = (pc + 4) >>> 0;
            pc = (va = R[15] >>> 0, tv = (te = FAST[(va >>> 12) & 4095], (te & (rmask | 4080)) === (((va >>> 20) & 4080) | rmask)) && (va & 3) === 0 ? (dh++, MEM[((te & ~0xfff) | (va & 0xfff)) >>> 2]) : m.rd32.call(m, va), R[15] = (va + 4) | 0, tv) >>> 0;
            break;
          }
          case 63: { // JMPR
            const a = (w >>> 20) & 15;
            const next = (pc + 4) >>> 0;
            pc = R[a] >>> 0;
            break;
          }
          case 64: { // CALLR
            const a = (w >>> 20) & 15;
            const next = (pc + 4) >>> 0;
            { const t = R[a] >>> 0; (tv = next, va = (R[15] - 4) >>> 0, (te = FAST[(va >>> 12) & 4095], (te & (wmask | 4080)) === (((va >>> 20) & 4080) | wmask)) && (va & 3) === 0 ? (dh++, MEM[((te & ~0xfff) | (va & 0xfff)) >>> 2] = tv) : m.wr32.call(m, va, tv), R[15] = va); pc = t; }
            break;
          }
          case 80: { // CLI
            const next = (pc + 4) >>> 0;
            if (m.cpl > m.iopl) { ev = m.fault(13); break events; }
            m.setIF(false);
            limit = Math.max(0, base - m.checkAt);
            pc = next;
            break;
          }
          case 81: { // STI
            const next = (pc + 4) >>> 0;
            m.time = base - left;
            if (m.cpl > m.iopl) { ev = m.fault(13); break events; }
            m.sti();
            limit = Math.max(0, base - m.checkAt);
            pc = next;
            break;
          }
          case 82: { // PUSHF
            const next = (pc + 4) >>> 0;
            m.fop = fop;
            m.fres = fres;
            m.fa = fa;
            m.fb = fb;
            m.fstat = fstat;
            if (STRICT) { if (m.cpl !== 0) { ev = m.fault(13); break events; } }
            m.push(m.flagsWord());
            pc = next;
            break;
          }
          case 83: { // POPF
            const next = (pc + 4) >>> 0;
            m.fop = fop;
            m.fres = fres;
            m.fa = fa;
            m.fb = fb;
            m.fstat = fstat;
            if (STRICT) { if (m.cpl > m.iopl) { ev = m.fault(13); break events; } }
            m.setFlagsWord(m.pop(), m.cpl);
            limit = Math.max(0, base - m.checkAt);
            fop = m.fop;
            fres = m.fres;
            fa = m.fa;
            fb = m.fb;
            fstat = m.fstat;
            pc = next;
            break;
          }
          case 84: { // IRET
            const next = (pc + 4) >>> 0;
            m.fop = fop;
            m.fres = fres;
            m.fa = fa;
            m.fb = fb;
            m.fstat = fstat;
            if (STRICT) { if (m.cpl !== 0) { ev = m.fault(13); break events; } }
            pc = m.iret();
            limit = Math.max(0, base - m.checkAt);
            fop = m.fop;
            fres = m.fres;
            fa = m.fa;
            fb = m.fb;
            fstat = m.fstat;
            rmask = m.readMask;
            wmask = m.writeMask;
            break;
          }
          case 85: { // HLT
            const next = (pc + 4) >>> 0;
            if (m.cpl !== 0) { ev = m.fault(13); break events; }
            { ev = m.haltEvent(next); break events; }
            break;
          }
          case 86: { // IN
            const a = (w >>> 20) & 15;
            const imm = w & 0xffff;
            const next = (pc + 4) >>> 0;
            m.time = base - left;
            if (m.cpl > m.iopl) { ev = m.fault(13); break events; }
            R[a] = m.portIn(imm);
            limit = Math.max(0, base - m.checkAt);
            pc = next;
            break;
          }
          case 87: { // OUT
            const a = (w >>> 20) & 15;
            const imm = w & 0xffff;
            const next = (pc + 4) >>> 0;
            m.time = base - left;
            if (m.cpl > m.iopl) { ev = m.fault(13); break events; }
            m.portOut(imm, R[a]);
            limit = Math.max(0, base - m.checkAt);
            pc = next;
            break;
          }
          case 88: { // INVLPG
            const a = (w >>> 20) & 15;
            const next = (pc + 4) >>> 0;
            if (m.cpl !== 0) { ev = m.fault(13); break events; }
            m.invlpg(R[a] >>> 0);
            pc = next;
            break;
          }
          case 89: { // MOV_CR_R
            const a = (w >>> 20) & 15;
            const b = (w >>> 16) & 15;
            const next = (pc + 4) >>> 0;
            if (m.cpl !== 0) { ev = m.fault(13); break events; }
            m.writeCr(b, R[a]);
            limit = Math.max(0, base - m.checkAt);
            rmask = m.readMask;
            wmask = m.writeMask;
            pc = next;
            break;
          }
          case 90: { // MOV_R_CR
            const a = (w >>> 20) & 15;
            const b = (w >>> 16) & 15;
            const next = (pc + 4) >>> 0;
            if (m.cpl !== 0) { ev = m.fault(13); break events; }
            R[a] = m.readCr(b);
            pc = next;
            break;
          }
          case 91: { // LIDT
            const a = (w >>> 20) & 15;
            const next = (pc + 4) >>> 0;
            if (m.cpl !== 0) { ev = m.fault(13); break events; }
            m.idtr = R[a] >>> 0;
            pc = next;
            break;
          }
          case 92: { // SIDT
            const a = (w >>> 20) & 15;
            const next = (pc + 4) >>> 0;
            if (STRICT) { if (m.cpl !== 0) { ev = m.fault(13); break events; } }
            R[a] = m.idtr;
            pc = next;
            break;
          }
          case 93: { // INT
            const imm = w & 0xffff;
            const next = (pc + 4) >>> 0;
            { ev = m.softIntEvent(imm & 255, next); break events; }
            break;
          }
          case 94: { // SYSCALL
            const next = (pc + 4) >>> 0;
            m.fop = fop;
            m.fres = fres;
            m.fa = fa;
            m.fb = fb;
            m.fstat = fstat;
            pc = m.syscall(next);
            rmask = m.readMask;
            wmask = m.writeMask;
            break;
          }
          case 95: { // SYSRET
            const next = (pc + 4) >>> 0;
            m.fop = fop;
            m.fres = fres;
            m.fa = fa;
            m.fb = fb;
            m.fstat = fstat;
            if (m.cpl !== 0) { ev = m.fault(13); break events; }
            pc = m.sysret();
            limit = Math.max(0, base - m.checkAt);
            fop = m.fop;
            fres = m.fres;
            fa = m.fa;
            fb = m.fb;
            fstat = m.fstat;
            rmask = m.readMask;
            wmask = m.writeMask;
            break;
          }
          case 96: { // CPUID
            const next = (pc + 4) >>> 0;
            m.cpuid();
            pc = next;
            break;
          }
          case 97: { // RDTSC
            const a = (w >>> 20) & 15;
            const next = (pc + 4) >>> 0;
            R[a] = ((base - left) + m.tscOffset) | 0;
            pc = next;
            break;
          }
          case 98: { // VMCALL
            const next = (pc + 4) >>> 0;
            { ev = m.vmcallEvent(); break events; }
            pc = next;
            break;
          }
          case 99: { // PUSH_CS
            const next = (pc + 4) >>> 0;
            if (STRICT) { if (m.cpl !== 0) { ev = m.fault(13); break events; } }
            (tv = m.cs(), va = (R[15] - 4) >>> 0, (te = FAST[(va >>> 12) & 4095], (te & (wmask | 4080)) === (((va >>> 20) & 4080) | wmask)) && (va & 3) === 0 ? (dh++, MEM[((te & ~0xfff) | (va & 0xfff)) >>> 2] = tv) : m.wr32.call(m, va, tv), R[15] = va);
            pc = next;
            break;
          }
          case 100: { // MOV_R_CS
            const a = (w >>> 20) & 15;
            const next = (pc + 4) >>> 0;
            if (STRICT) { if (m.cpl !== 0) { ev = m.fault(13); break events; } }
            R[a] = m.cs();
            pc = next;
            break;
          }
          case 101: { // SMSW
            const a = (w >>> 20) & 15;
            const next = (pc + 4) >>> 0;
            if (STRICT) { if (m.cpl !== 0) { ev = m.fault(13); break events; } }
            R[a] = m.cr0 & 0xffff;
            pc = next;
            break;
          }
          case 102: { // BRK
            const next = (pc + 4) >>> 0;
            { ev = m.trapEvent(3, next); break events; }
            break;
          }
          default:
            { ev = m.fault(6); break events; }
        }
        OPS[op]++;
        left--;
      }
    } catch (e) {
      ev = e;
    }
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
    const s = m.onEvent(ev, pc);
    pc = m.pc >>> 0;
    base = m.time + left;
    limit = Math.max(0, base - m.checkAt);
    rmask = m.readMask;
    wmask = m.writeMask;
    if (s !== undefined) {
      stop = s;
      m.pc = pc;
      m.time = base - left;
      m.fop = fop;
      m.fres = fres;
      m.fa = fa;
      m.fb = fb;
      m.fstat = fstat;
      m.counters.tlbHits += maxSteps - left + faulted - slowFetches + dh;
      return stop;
    }
  }
};
//# sourceURL=vmlab-interpreter-x86.js
