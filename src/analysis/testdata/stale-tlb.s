; Relies on TLB capacity: remaps a cached page without INVLPG, then touches 64 other pages so the
; 64-entry FIFO TLB drops the stale translation before the page is read again.
_start:
  mov sp, 0x8000
  mov r2, 0x10000       ; page directory
  mov r3, 0x11000       ; page table for 0..4 MiB
  or r1, r3, 7
  st [r2], r1
  mov r4, 0
  mov r12, 0x80000
.map:                   ; identity-map 0..512 KiB
  or r6, r4, 7
  st [r3], r6
  add r3, r3, 4
  add r4, r4, 4096
  cmp r4, r12
  jnz .map
  mov r1, 0x12007       ; page table for 4..8 MiB
  st [r2 + 4], r1
  mov r9, 0x12000
  mov r1, 0x20007       ; 0x400000 → frame 0x20000, which holds 111
  st [r9], r1
  mov r1, 111
  mov r8, 0x20000
  st [r8], r1
  mov r1, 222           ; frame 0x21000 holds 222
  mov r8, 0x21000
  st [r8], r1
  mov cr3, r2
  mov r1, 0x80000001
  mov cr0, r1
  mov r7, 0x400000
  ld r10, [r7]          ; 111, and the translation is cached
  mov r1, 0x21007
  st [r9], r1           ; remap to frame 0x21000 without INVLPG
  mov r4, 0x40000
.touch:                 ; touch 64 other pages
  ld r5, [r4]
  add r4, r4, 4096
  cmp r4, r12
  jnz .touch
  ld r11, [r7]          ; 222 once the stale entry is evicted; 111 from a TLB that keeps it
  out 0x11, r11
  hlt
