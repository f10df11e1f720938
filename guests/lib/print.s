; guests/lib/print.s — print(r1 = NUL-terminated string) for a CPL 0 kernel: the console port, byte by byte. Clobbers r1, r2.
;
; Include it where the routine should sit; it needs PORT_CHAR (lib/machine.s).

print:
    ldb r2, [r1]
    cmp r2, 0
    jz .done
    out PORT_CHAR, r2
    add r1, r1, 1
    jmp print
.done:
    ret
