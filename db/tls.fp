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
; source documents. Nothing here is from memory. tests/tls/tlsfp_check.py
; runs netprint on every flow cited in a "; seen:" line and requires the
; label written here.
;

classes = win,unix,other

[tls:client]

; ----------------------------
; Chromium (Chrome and others)
; ----------------------------

label = s:!:Chromium:based (Chrome, Electron and others; seen: 112)
sys   = @win,@unix
; seen: ja4__latest.pcap, tcp 172.16.225.48/52938 -> 34.205.195.66/443 (app.slack.com)
; seen: ja4__latest.pcap, tcp 172.16.225.48/52936 -> 34.212.93.65/443 (pdx-col.eum-appdynamics.com)
; proof: the same client sends, in plaintext (GET apps.identrust.com/roots/dstrootcax3.p7c),
;   User-Agent "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like
;   Gecko) Slack/4.32.122 Chrome/112.0.5615.87 Electron/24.1.2 Safari/537.36": Slack, an
;   Electron 24 app on Chromium 112, whose own server app.slack.com gets this JA4. The
;   host's one other ClientHello (discovery.cem.cloud.us, t12d190800_...) is another stack
;   and is not labeled. Part c is "*": it differs between these two flows (padding 0015 in
;   one, pre_shared_key 0029 in the resumed one).
sig   = t13d1516h2_8daaf6152771_*

label = s:!:Chrome:86
sys   = @win,@unix
; seen: suricata__base64-decode-5885.pcap, tcp 192.168.100.67/57510 -> 142.251.208.110/443 (clients2.google.com)
; seen: suricata__base64-decode-5885.pcap, tcp 192.168.100.67/57508 -> 34.246.146.48/443 (redirect.viglink.com)
; proof: the same client's plaintext requests carry User-Agent "Mozilla/5.0 (Windows NT
;   6.1) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/86.0.4240.198 Safari/537.36", its
;   SSDP M-SEARCHes "Google Chrome/86.0.4240.198 Windows"; all 11 ClientHellos of the host
;   have this JA4.
sig   = t13d1515h2_8daaf6152771_de4a06bb82e3

label = s:!:Chrome:67 canary (TLS 1.3 draft 23)
sys   = @win,@unix
; seen: zeek__tls__tls13draft23-chrome67.0.3368.0-canary.pcap, tcp 192.168.86.23/63449 -> 52.32.149.186/443 (tls13.crypto.mozilla.org)
; proof: the source, Zeek's testing/btest/Traces/tls/, names this trace
;   "tls13draft23-chrome67.0.3368.0-canary.pcap", next to traces named the same way after
;   other clients (chrome-63.0.3211.0-canary-tls_experiment.pcap, openjdk-25.0.2-zeek.org.pcap);
;   the hello offers TLS 1.3 draft 23 (0x7f17, which JA4 writes "00"); it is the capture's
;   only ClientHello.
sig   = t00d1616h2_46e7e9700bed_420f9a5d0665

label = s:!:Chrome:50
sys   = @win,@unix
; seen: ndpi__weibo.pcap, tcp 192.168.1.105/50827 -> 47.89.65.229/443 (g.alicdn.com)
; proof: every plaintext request of the same client (weibo.com, sinajs.cn, sina.cn) carries
;   User-Agent "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)
;   Chrome/50.0.2661.102 Safari/537.36"; this is the host's only ClientHello.
sig   = t12d1412h2_20a10634286c_ce3753e6c77f

; -------
; Firefox
; -------

label = s:!:Firefox:52.0a1 (TLS 1.3 draft 16)
sys   = Windows,@unix
; seen: zeek__tls__tls13draft16-ff52.a01-aborted.pcap, tcp 192.150.187.20/54980 -> 52.32.149.186/443 (tls13.crypto.mozilla.org)
; proof: the source, Zeek's testing/btest/Traces/tls/, names this trace
;   "tls13draft16-ff52.a01-aborted.pcap" (Firefox 52.0a1), next to
;   tls13draft16-ff52.a01.pcap and tls13draft16-chrome55.0.2879.0-canary.pcap; the hello
;   offers TLS 1.3 draft 16 (0x7f10, which JA4 writes "00").
sig   = t00d1813h2_29a2cd9e9f10_410211a62323

label = s:!:Firefox:52.0a1 (TLS 1.2 hello)
sys   = Windows,@unix
; seen: zeek__tls__tls13draft16-ff52.a01-aborted.pcap, tcp 192.150.187.20/54982 -> 52.32.149.186/443 (tls13.crypto.mozilla.org)
; proof: the same trace as above: its one client (Firefox 52.0a1, the trace's name)
;   makes two connections to the same server 60 ms apart; this second one offers TLS
;   1.2 at most.
sig   = t12d1510h2_073e58a039a6_24d0d7553946

; ----------------------------
; Windows and its applications
; ----------------------------

label = s:win:Windows:7 (IE 11, CryptoAPI)
; seen: suricata__tls__tls-subjectaltname.pcap, tcp 192.168.100.206/59690 -> 204.79.197.200/443 (www.bing.com)
; seen: suricata__tls__tls-subjectaltname.pcap, tcp 192.168.100.206/60124 -> 152.199.19.161/443 (iecvlist.microsoft.com)
; seen: suricata__tls__tls-subjectaltname.pcap, tcp 192.168.100.206/60055 -> 91.223.235.50/443 (www.havenyt.dk)
; proof: the same client's plaintext requests carry two User-Agents, "Mozilla/5.0
;   (Windows NT 6.1; Trident/7.0; rv:11.0) like Gecko" (Internet Explorer 11 on Windows 7)
;   and "Microsoft-CryptoAPI/6.1"; both are Windows 7's own components, which is all this
;   label claims. All 40 ClientHellos of the host have this JA4.
sig   = t12d260700_db6bc8f7861c_595eacc76d13

label = s:!:Outlook:16 (Windows 10)
sys   = Windows
; seen: suricata__bug-2769__issue_no_icmp.pcap, tcp 3.251.38.200/59921 -> 3.235.60.34/8080 (supportingfunctions.us.newsweaver.com)
; proof: on the same TCP connection, just before this ClientHello, the client asks the
;   proxy "CONNECT supportingfunctions.us.newsweaver.com:443" with User-Agent "Mozilla/4.0
;   (compatible; MSIE 7.0; Windows NT 10.0; WOW64; Trident/7.0; .NET4.0C; .NET4.0E; .NET
;   CLR 2.0.50727; .NET CLR 3.0.30729; .NET CLR 3.5.30729; wbx 1.0.0; Microsoft Outlook
;   16.0.9126)". All three parts are given: ja4__latest.pcap has the same parts a and b
;   with another c (to discovery.cem.cloud.us) from a host whose only User-Agent is
;   Slack's, so parts a and b alone do not identify Outlook.
sig   = t12d190800_d83cc789557e_16bbda4055b2

; ---
; iOS
; ---

label = s:!:iOS:system services (iPhone)
sys   = iOS,Mac OS X,MacOS X
; seen: ndpi__iphone.pcap, tcp 192.168.2.17/50575 -> 17.248.185.140/443 (p26-fmfmobile.icloud.com)
; seen: ndpi__iphone.pcap, tcp 192.168.2.17/50576 -> 95.101.25.53/443 (gspe35-ssl.ls.apple.com)
; seen: ndpi__iphone.pcap, tcp 192.168.2.17/50585 -> 17.137.166.35/443 (gsa.apple.com)
; proof: the source, nDPI's tests/cfgs/default/pcap/, names the capture "iphone.pcap"; the
;   client's one plaintext User-Agent is "CaptiveNetworkSupport-390.60.1 wispr" (Apple's
;   captive network probe), and all its 14 ClientHellos go to Apple's services (icloud.com,
;   apple.com, itunes.apple.com) with this cipher list (part b); parts a and c vary
;   between them (13 or 14 extensions, h2 or http/1.1 only), hence "*". sys also names
;   Mac OS X and MacOS X: p0f.fp's TCP signatures call this iPhone's SYN "Mac OS X".
sig   = *_2802a3db6c62_*

[tls:server]

; No server signatures: a JA3S hashes the chosen cipher and the extensions the server
; echoes from the client's offer, so it names a TLS library's answer to one client, and
; no capture here shows which software terminates TLS (a Server: header on port 80 does
; not say what answers on 443).
