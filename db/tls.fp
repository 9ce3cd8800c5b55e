;
; netprint - TLS client and server signatures
; -------------------------------------------
;
; Read after p0f.fp (netprint's default set is p0f.fp, then this file), in
; p0f.fp's grammar:
;
;   [tls:client]        ClientHellos; sig = a JA4, any of whose three parts
;                       (a_b_c) may be "*"
;   [tls:server]        ServerHellos; sig = a JA3S hash
;
;   label = s:!:name:flavor    a tool or application (then sys = lists the
;                              OS names or @classes it runs on; a client
;                              whose SYN says otherwise is "os_mismatch")
;   label = s:class:name:flavor  an OS's own TLS stack
;
; The most specific signature that matches wins (ties: the earlier line); a
; signature matching on every part is exact, on fewer parts "generic".
;
; Every signature below says where it was seen (a capture in
; tests/captures/ and the flow) and what proves its label: the same client's
; plaintext User-Agent in the same capture, or the client the capture's
; source documents. Nothing here is from memory.
;

classes = win,unix,other

[tls:client]

[tls:server]
