; a bare kernel that returns to itself with IRET through a frame it built (ring 0, IF clear), then shows its FLAGS with PUSHF: an IRET within ring 0 must load the virtual IF, and PUSHF must show it
_start:
        mov r15, 0x8000
        sti
        mov r6, 0
        push r6                    ; FLAGS: IF clear
        mov r7, 8
        push r7                    ; CS of ring 0
        mov r7, back
        push r7                    ; PC
        push r6                    ; error slot
        iret
back:
        pushf
        pop r1
        out 0x12, r1               ; FLAGS, in hex: IF clear
        mov r8, 10
        out 0x10, r8
        mov r1, 0
        out 0xf0, r1
