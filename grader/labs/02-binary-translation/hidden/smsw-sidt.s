; a bare kernel that loads its IDT, then reads the IDT base with SIDT and CR0 with SMSW and prints both: each shows the real register unless it is called out
_start:
        mov r15, 0x8000
        mov r1, idt
        lidt r1
        sidt r2
        out 0x12, r2               ; the IDT base, in hex
        mov r8, 10
        out 0x10, r8
        smsw r3
        out 0x12, r3               ; CR0's low half: PE only, paging off
        out 0x10, r8
        mov r1, 0
        out 0xf0, r1

        .align 8
idt:    .space 2048
