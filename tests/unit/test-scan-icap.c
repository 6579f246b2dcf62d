/* tests/unit/test-scan-icap.c — the ICAP reply reader and its verdicts (scan/icap-reply.c) on
 * scripted replies, fed whole and byte by byte, and ICAP URLs (scan/icap.c). Must not: need a
 * server (tests/integration/commands-scan-icap.sh meets c-icap). */
#include "config.h"
#include "scan/icap.h"
#include "scan/icap-reply.h"

#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#define FILE_TEXT "hello, scanner"

/* Short names for the columns of the table below. */
#define OK SCAN_VERDICT_OK
#define INFECTED SCAN_VERDICT_INFECTED
#define ERROR SCAN_VERDICT_ERROR
#define NONE SCAN_REASON_NONE
#define MALWARE SCAN_REASON_MALWARE
#define LIMIT SCAN_REASON_LIMIT
#define PROTOCOL SCAN_REASON_PROTOCOL
#define SCANNER SCAN_REASON_SCANNER
#define NO_PREVIEW (-1)

#define ISTAG "ISTag: \"CI0001-abc\"\r\n"
#define HTTP_OK "HTTP/1.1 200 OK\r\nContent-Length: 14\r\n\r\n"
#define ENCAP_OK "Encapsulated: res-hdr=0, res-body=39\r\n"
/* the file sent back unchanged, in one chunk */
#define SAME_BODY HTTP_OK "e\r\n" FILE_TEXT "\r\n0\r\n\r\n"
#define NO_CONTENT "ICAP/1.0 204 No Content\r\n" ISTAG "\r\n"
#define CONTINUE "ICAP/1.0 100 Continue\r\n\r\n"
#define BLOCK_PAGE "HTTP/1.0 403 Forbidden\r\nContent-Type: text/html\r\n\r\n"

typedef struct {
        const char *name;
        const char *replies;
        gssize preview;       /* NO_PREVIEW, or the preview's size (>= the file's: ieof) */
        ScanVerdictKind kind;
        ScanReasonClass reason_class;
        const char *signature; /* INFECTED (or a LIMIT ERROR): the name */
} JudgeCase;

static const JudgeCase judge_cases[] = {
        { "204", NO_CONTENT, NO_PREVIEW, OK, NONE, NULL },
        { "204-after-preview-with-ieof", NO_CONTENT, 1024, OK, NONE, NULL },
        { "200-unchanged-body", "ICAP/1.0 200 OK\r\n" ISTAG ENCAP_OK "\r\n" SAME_BODY, NO_PREVIEW, OK, NONE, NULL },
        { "200-unchanged-body-in-three-chunks",
          "ICAP/1.0 200 OK\r\n" ENCAP_OK "\r\n" HTTP_OK "5\r\nhello\r\n2;x=y\r\n, \r\n7\r\nscanner\r\n0\r\n\r\n",
          NO_PREVIEW, OK, NONE, NULL },
        { "200-unchanged-body-with-bare-newlines",
          "ICAP/1.0 200 OK\n" ENCAP_OK "\n" HTTP_OK "e\n" FILE_TEXT "\n0\n\n", NO_PREVIEW, OK, NONE, NULL },
        { "200-replaced-body-is-infected",
          "ICAP/1.0 200 OK\r\nEncapsulated: res-hdr=0, res-body=51\r\n\r\n" BLOCK_PAGE "4\r\nbad!\r\n0\r\n\r\n",
          NO_PREVIEW, INFECTED, MALWARE, "ICAP.Replaced.HTTP-403" },
        { "200-same-length-other-bytes", "ICAP/1.0 200 OK\r\n" ENCAP_OK "\r\n" HTTP_OK "e\r\nhello, SCANNER\r\n0\r\n\r\n",
          NO_PREVIEW, INFECTED, MALWARE, "ICAP.Replaced" },
        { "200-emptied-body", "ICAP/1.0 200 OK\r\n" ENCAP_OK "\r\n" HTTP_OK "0\r\n\r\n",
          NO_PREVIEW, INFECTED, MALWARE, "ICAP.Replaced" },
        { "200-longer-body", "ICAP/1.0 200 OK\r\n" ENCAP_OK "\r\n" HTTP_OK "f\r\n" FILE_TEXT "!\r\n0\r\n\r\n",
          NO_PREVIEW, INFECTED, MALWARE, "ICAP.Replaced" },
        { "200-null-body", "ICAP/1.0 200 OK\r\nEncapsulated: res-hdr=0, null-body=39\r\n\r\n" HTTP_OK,
          NO_PREVIEW, INFECTED, MALWARE, "ICAP.Replaced" },
        { "x-infection-found", "ICAP/1.0 200 OK\r\n" ISTAG
          "X-Infection-Found: Type=0; Resolution=2; Threat=Eicar-Test-Signature;\r\n"
          "Encapsulated: res-hdr=0, res-body=51\r\n\r\n" BLOCK_PAGE "0\r\n\r\n",
          NO_PREVIEW, INFECTED, MALWARE, "Eicar-Test-Signature" },
        { "x-virus-id", "ICAP/1.0 200 OK\r\nX-Virus-ID: Win.Test.EICAR_HDB-1\r\n"
          "Encapsulated: res-hdr=0, res-body=51\r\n\r\n" BLOCK_PAGE "0\r\n\r\n",
          NO_PREVIEW, INFECTED, MALWARE, "Win.Test.EICAR_HDB-1" },
        { "x-violations-found-folded-as-c-icap-sends",
          "ICAP/1.0 200 OK\r\nX-Violations-Found: 1\r\n\t-\r\n\tClamftp.Test.EICAR.NDB.UNOFFICIAL\r\n\t0\r\n\t0\r\n"
          "Encapsulated: res-hdr=0, res-body=51\r\n\r\n" BLOCK_PAGE "0\r\n\r\n",
          NO_PREVIEW, INFECTED, MALWARE, "Clamftp.Test.EICAR.NDB.UNOFFICIAL" },
        { "x-violations-found-zero-is-none", "ICAP/1.0 204 No Content\r\nX-Violations-Found: 0\r\n\r\n",
          NO_PREVIEW, OK, NONE, NULL },
        { "infection-header-names-beat-an-unchanged-body",
          "ICAP/1.0 200 OK\r\nx-virus-id: Lower.Case.Header\r\n" ENCAP_OK "\r\n" SAME_BODY,
          NO_PREVIEW, INFECTED, MALWARE, "Lower.Case.Header" },
        { "infection-header-on-a-204", "ICAP/1.0 204 No Content\r\nX-Virus-ID: Named.Anyway\r\n\r\n",
          NO_PREVIEW, INFECTED, MALWARE, "Named.Anyway" },
        { "empty-infection-header-still-names-one", "ICAP/1.0 204 No Content\r\nX-Virus-ID:\r\n\r\n",
          NO_PREVIEW, INFECTED, MALWARE, "X-Virus-ID" },
        { "infection-header-in-a-500", "ICAP/1.0 500 Server Error\r\nX-Infection-Found: Threat=Bad;\r\n\r\n",
          NO_PREVIEW, INFECTED, MALWARE, "Bad" },
        { "limit-detection-is-an-error",
          "ICAP/1.0 200 OK\r\nX-Infection-Found: Type=0; Resolution=2; Threat=Heuristics.Limits.Exceeded.MaxFileSize;\r\n"
          "Encapsulated: res-hdr=0, res-body=51\r\n\r\n" BLOCK_PAGE "0\r\n\r\n",
          NO_PREVIEW, ERROR, LIMIT, "Heuristics.Limits.Exceeded.MaxFileSize" },
        { "400", "ICAP/1.0 400 Bad Request\r\n\r\n", NO_PREVIEW, ERROR, SCANNER, NULL },
        { "404-service-not-found", "ICAP/1.0 404 Service Not Found\r\n" ISTAG "\r\n", NO_PREVIEW, ERROR, SCANNER, NULL },
        { "500", "ICAP/1.0 500 Server Error\r\n\r\n", NO_PREVIEW, ERROR, SCANNER, NULL },
        { "503-with-a-body", "ICAP/1.0 503 Service Overloaded\r\nEncapsulated: res-hdr=0, res-body=51\r\n\r\n"
          BLOCK_PAGE "4\r\nbusy\r\n0\r\n\r\n", NO_PREVIEW, ERROR, SCANNER, NULL },
        { "206-not-allowed", "ICAP/1.0 206 Partial Content\r\n" ENCAP_OK "\r\n" SAME_BODY, NO_PREVIEW, ERROR, PROTOCOL, NULL },
        { "301", "ICAP/1.0 301 Moved\r\n\r\n", NO_PREVIEW, ERROR, PROTOCOL, NULL },
        { "empty", "", NO_PREVIEW, ERROR, PROTOCOL, NULL },
        { "truncated-status-line", "ICAP/1.0 204 No Con", NO_PREVIEW, ERROR, PROTOCOL, NULL },
        { "truncated-headers", "ICAP/1.0 204 No Content\r\nISTag: \"x\"\r\n", NO_PREVIEW, ERROR, PROTOCOL, NULL },
        { "truncated-body", "ICAP/1.0 200 OK\r\n" ENCAP_OK "\r\n" HTTP_OK "e\r\nhello", NO_PREVIEW, ERROR, PROTOCOL, NULL },
        { "truncated-before-last-chunk", "ICAP/1.0 200 OK\r\n" ENCAP_OK "\r\n" HTTP_OK "e\r\n" FILE_TEXT "\r\n",
          NO_PREVIEW, ERROR, PROTOCOL, NULL },
        { "truncated-encapsulated-header", "ICAP/1.0 200 OK\r\n" ENCAP_OK "\r\nHTTP/1.1 200", NO_PREVIEW, ERROR,
          PROTOCOL, NULL },
        { "garbage", "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", NO_PREVIEW, ERROR, PROTOCOL, NULL },
        { "http-not-icap", "HTTP/1.1 200 OK\r\n\r\n", NO_PREVIEW, ERROR, PROTOCOL, NULL },
        { "clamd-words", "stream: OK\n", NO_PREVIEW, ERROR, PROTOCOL, NULL },
        { "status-without-reason-digits", "ICAP/1.0 2O4 No Content\r\n\r\n", NO_PREVIEW, ERROR, PROTOCOL, NULL },
        { "header-without-colon", "ICAP/1.0 204 No Content\r\nno colon here\r\n\r\n", NO_PREVIEW, ERROR, PROTOCOL, NULL },
        { "nul-in-a-header", "ICAP/1.0 204 No Content\r\nX-A: b\0c\r\n\r\n", NO_PREVIEW, ERROR, PROTOCOL, NULL },
        { "200-without-encapsulated", "ICAP/1.0 200 OK\r\n\r\n" SAME_BODY, NO_PREVIEW, ERROR, PROTOCOL, NULL },
        { "200-encapsulated-garbage", "ICAP/1.0 200 OK\r\nEncapsulated: res-body=x\r\n\r\n", NO_PREVIEW, ERROR,
          PROTOCOL, NULL },
        { "200-encapsulated-without-body", "ICAP/1.0 200 OK\r\nEncapsulated: res-hdr=0\r\n\r\n", NO_PREVIEW, ERROR,
          PROTOCOL, NULL },
        { "200-without-http-response", "ICAP/1.0 200 OK\r\nEncapsulated: res-body=0\r\n\r\ne\r\n" FILE_TEXT "\r\n0\r\n\r\n",
          NO_PREVIEW, ERROR, PROTOCOL, NULL },
        { "chunk-size-not-hex", "ICAP/1.0 200 OK\r\n" ENCAP_OK "\r\n" HTTP_OK "zz\r\n", NO_PREVIEW, ERROR, PROTOCOL, NULL },
        { "chunk-longer-than-its-size", "ICAP/1.0 200 OK\r\n" ENCAP_OK "\r\n" HTTP_OK "d\r\n" FILE_TEXT "\r\n0\r\n\r\n",
          NO_PREVIEW, ERROR, PROTOCOL, NULL },
        { "huge-chunk-size", "ICAP/1.0 200 OK\r\n" ENCAP_OK "\r\n" HTTP_OK "ffffffffffff\r\n", NO_PREVIEW, ERROR,
          PROTOCOL, NULL },
        { "204-carrying-a-body", "ICAP/1.0 204 No Content\r\n" ENCAP_OK "\r\n" SAME_BODY, NO_PREVIEW, ERROR, PROTOCOL, NULL },
        { "more-after-the-reply", NO_CONTENT NO_CONTENT, NO_PREVIEW, ERROR, PROTOCOL, NULL },
        { "bytes-after-the-reply", NO_CONTENT "x", NO_PREVIEW, ERROR, PROTOCOL, NULL },
        /* previews: FILE_TEXT is 14 bytes */
        { "100-continue-then-204", CONTINUE NO_CONTENT, 4, OK, NONE, NULL },
        { "100-continue-then-200-unchanged", CONTINUE "ICAP/1.0 200 OK\r\n" ENCAP_OK "\r\n" SAME_BODY, 4, OK, NONE, NULL },
        { "100-continue-then-infected", CONTINUE "ICAP/1.0 200 OK\r\nX-Virus-ID: Late.Find\r\n\r\n", 4, INFECTED,
          MALWARE, "Late.Find" },
        { "100-continue-then-nothing", CONTINUE, 4, ERROR, PROTOCOL, NULL },
        { "100-continue-twice", CONTINUE CONTINUE NO_CONTENT, 4, ERROR, PROTOCOL, NULL },
        { "204-judging-only-the-preview", NO_CONTENT, 4, ERROR, PROTOCOL, NULL },
        { "200-judging-only-the-preview", "ICAP/1.0 200 OK\r\n" ENCAP_OK "\r\n" SAME_BODY, 4, ERROR, PROTOCOL, NULL },
        { "infected-in-the-preview", "ICAP/1.0 200 OK\r\nX-Virus-ID: Early.Find\r\n\r\n", 4, INFECTED, MALWARE,
          "Early.Find" },
        { "100-continue-after-ieof", CONTINUE NO_CONTENT, 14, ERROR, PROTOCOL, NULL },
        { "100-continue-without-a-preview", CONTINUE NO_CONTENT, NO_PREVIEW, ERROR, PROTOCOL, NULL },
        { "preview-of-zero-bytes-then-continue", CONTINUE NO_CONTENT, 0, OK, NONE, NULL },
};

/* The replies' length: the table's strings may hold a NUL. */
static gsize replies_len(const JudgeCase *c)
{
        if (g_str_equal(c->name, "nul-in-a-header"))
                return strlen("ICAP/1.0 204 No Content\r\nX-A: b") + 1 + strlen("c\r\n\r\n");
        return strlen(c->replies);
}

static void check_verdict(const JudgeCase *c, const ScanVerdict *verdict)
{
        if (verdict->kind != c->kind || verdict->reason_class != c->reason_class)
                g_test_message("%s: got %s/%s (%s)", c->name, scan_verdict_kind_name(verdict->kind),
                               scan_reason_class_name(verdict->reason_class),
                               verdict->reason ? verdict->reason : verdict->signature ? verdict->signature : "");
        g_assert_cmpint(verdict->kind, ==, c->kind);
        g_assert_cmpint(verdict->reason_class, ==, c->reason_class);
        if (c->signature)
                g_assert_cmpstr(verdict->signature, ==, c->signature);
        if (verdict->kind == SCAN_VERDICT_ERROR)
                g_assert_nonnull(verdict->reason);
}

static void test_judge(gconstpointer data)
{
        const JudgeCase *c = data;
        g_autofree char *istag = NULL;
        g_autoptr(ScanVerdict) verdict = scan_icap_judge((const guint8 *)c->replies, replies_len(c),
                                                         (const guint8 *)FILE_TEXT, strlen(FILE_TEXT), c->preview,
                                                         &istag);
        check_verdict(c, verdict);
        if (verdict->kind != SCAN_VERDICT_ERROR && strstr(c->replies, ISTAG))
                g_assert_cmpstr(istag, ==, "CI0001-abc");
}

static gboolean compare_text(const guint8 *data, gsize len, guint64 offset, gpointer unused)
{
        return offset + len <= strlen(FILE_TEXT) && memcmp(FILE_TEXT + offset, data, len) == 0;
}

/* Whatever way the bytes arrive, the reply reads the same: one byte per feed. */
static void test_byte_by_byte(void)
{
        for (gsize i = 0; i < G_N_ELEMENTS(judge_cases); i++) {
                const JudgeCase *c = &judge_cases[i];
                if (c->preview != NO_PREVIEW)
                        continue;
                gsize len = replies_len(c);
                g_autoptr(IcapReply) whole = scan_icap_reply_new(strlen(FILE_TEXT), compare_text, NULL);
                g_autoptr(IcapReply) split = scan_icap_reply_new(strlen(FILE_TEXT), compare_text, NULL);
                gsize used_whole = 0, used_split = 0;
                scan_icap_reply_feed(whole, (const guint8 *)c->replies, len, &used_whole);
                for (gsize at = 0; at < len && scan_icap_reply_state(split) == ICAP_READ_MORE; at++) {
                        gsize used = 0;
                        scan_icap_reply_feed(split, (const guint8 *)c->replies + at, 1, &used);
                        used_split += used;
                }
                g_assert_cmpint(scan_icap_reply_state(split), ==, scan_icap_reply_state(whole));
                g_assert_cmpuint(used_split, ==, used_whole);
                g_autoptr(ScanVerdict) a = scan_icap_reply_verdict(whole, TRUE);
                g_autoptr(ScanVerdict) b = scan_icap_reply_verdict(split, TRUE);
                g_assert_cmpint(a->kind, ==, b->kind);
                g_assert_cmpstr(a->signature, ==, b->signature);
        }
}

static void test_line_cap(void)
{
        GString *replies = g_string_new("ICAP/1.0 204 No Content\r\nX-Long: ");
        for (int i = 0; i < 10000; i++)
                g_string_append_c(replies, 'a');
        g_string_append(replies, "\r\n\r\n");
        g_autoptr(IcapReply) reply = scan_icap_reply_new(0, NULL, NULL);
        g_assert_cmpint(scan_icap_reply_feed(reply, (const guint8 *)replies->str, replies->len, NULL), ==,
                        ICAP_READ_FAILED);
        g_autoptr(ScanVerdict) verdict = scan_icap_reply_verdict(reply, TRUE);
        g_assert_cmpint(verdict->kind, ==, SCAN_VERDICT_ERROR);
        g_string_free(replies, TRUE);
}

/* A name shown to the user and logged has no control characters. */
static void test_names_made_safe(void)
{
        static const char replies[] = "ICAP/1.0 200 OK\r\nX-Virus-ID: evil\x1b[2Jname\r\n\r\n";
        g_autoptr(ScanVerdict) verdict = scan_icap_judge((const guint8 *)replies, strlen(replies),
                                                         (const guint8 *)FILE_TEXT, strlen(FILE_TEXT), NO_PREVIEW,
                                                         NULL);
        g_assert_cmpint(verdict->kind, ==, SCAN_VERDICT_INFECTED);
        g_assert_cmpstr(verdict->signature, ==, "evil?[2Jname");
}

/* OPTIONS replies read with the same reader: the headers a scan needs. */
static void test_options_headers(void)
{
        static const char replies[] = "ICAP/1.0 200 OK\r\nMethods: RESPMOD, REQMOD\r\nISTag: \"T-1\"\r\n"
                                      "Preview: 1024\r\nOptions-TTL: 3600\r\nMax-Connections: 7\r\n"
                                      "Encapsulated: null-body=0\r\n\r\n";
        g_autoptr(IcapReply) reply = scan_icap_reply_new(0, NULL, NULL);
        g_assert_cmpint(scan_icap_reply_feed(reply, (const guint8 *)replies, strlen(replies), NULL), ==,
                        ICAP_READ_DONE);
        g_assert_cmpint(scan_icap_reply_status(reply), ==, 200);
        g_assert_cmpstr(scan_icap_reply_header(reply, "methods"), ==, "RESPMOD, REQMOD");
        g_assert_cmpstr(scan_icap_reply_header(reply, "Preview"), ==, "1024");
        g_assert_cmpstr(scan_icap_reply_istag(reply), ==, "T-1");
}

/* ---- URLs --------------------------------------------------------------------------------- */

static void test_urls(void)
{
        static const struct {
                const char *url;
                const char *normal; /* NULL: refused */
        } cases[] = {
                { "icap://127.0.0.1:1344/avscan", "icap://127.0.0.1:1344/avscan" },
                { "icap://localhost/srv_clamav", "icap://localhost:1344/srv_clamav" },
                { "icaps://scanner.example/avscan", "icaps://scanner.example:11344/avscan" },
                { "ICAP://127.0.0.1:9/a?allow204=on", "icap://127.0.0.1:9/a?allow204=on" },
                { "icap://[::1]:1344/avscan", "icap://[::1]:1344/avscan" },
                { "icap://127.0.0.1:1344/", NULL },
                { "icap://127.0.0.1:1344", NULL },
                { "icap:///avscan", NULL },
                { "icap://user@host/avscan", NULL },
                { "icap://host:99999/avscan", NULL },
                { "icap://host/a#frag", NULL },
                { "http://host/avscan", NULL },
                { "tcp:host:1344", NULL },
        };
        for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
                g_autoptr(GError) error = NULL;
                g_autoptr(ScanIcap) icap = scan_icap_new(cases[i].url, &error);
                if (!cases[i].normal) {
                        g_assert_null(icap);
                        g_assert_error(error, SCAN_ERROR, SCAN_ERROR_ADDRESS);
                        continue;
                }
                g_assert_no_error(error);
                g_assert_cmpstr(scan_icap_url(icap), ==, cases[i].normal);
        }
}

/* ---- the client against a scripted server ------------------------------------------------- */

/* A loopback ICAP server that answers each request with the next scripted reply: OPTIONS at once,
 * RESPMOD after the request's last chunk (after a preview's, `continue_preview` answers 100
 * Continue first and reads the rest). It keeps what the RESPMOD bodies held. */
typedef struct {
        int listener;
        guint16 port;
        const char *const *replies; /* one per request, NULL-terminated */
        gboolean continue_preview;  /* answer a preview without ieof with 100 Continue */
        gboolean close_instead;     /* close without a reply to RESPMOD */
        GString *body;              /* every body byte received (preview and rest) */
        GString *heads;             /* every request head received */
        GThread *thread;
} ScriptedIcap;

/* Reads one line (up to \n) into out; FALSE at EOF. */
static gboolean read_line(int fd, GString *out)
{
        g_string_truncate(out, 0);
        char c;
        while (read(fd, &c, 1) == 1) {
                g_string_append_c(out, c);
                if (c == '\n')
                        return TRUE;
        }
        return FALSE;
}

/* Reads chunks up to the last one; *ieof: it carried "ieof". */
static gboolean read_chunks(ScriptedIcap *srv, int fd, gboolean *ieof)
{
        g_autoptr(GString) line = g_string_new(NULL);
        for (;;) {
                if (!read_line(fd, line))
                        return FALSE;
                guint64 n = g_ascii_strtoull(line->str, NULL, 16);
                if (n == 0) {
                        *ieof = strstr(line->str, "ieof") != NULL;
                        return read_line(fd, line); /* the blank line */
                }
                g_autofree char *data = g_malloc(n + 2);
                gsize got = 0;
                while (got < n + 2) {
                        ssize_t r = read(fd, data + got, n + 2 - got);
                        if (r <= 0)
                                return FALSE;
                        got += (gsize)r;
                }
                g_string_append_len(srv->body, data, (gssize)n);
        }
}

static void send_text(int fd, const char *text)
{
        gsize len = strlen(text);
        while (len > 0) {
                ssize_t n = send(fd, text, len, MSG_NOSIGNAL);
                if (n <= 0)
                        return;
                text += n;
                len -= (gsize)n;
        }
}

static gpointer scripted_icap_thread(gpointer data)
{
        ScriptedIcap *srv = data;
        g_autoptr(GString) line = g_string_new(NULL);
        for (const char *const *reply = srv->replies; *reply; reply++) {
                int fd = accept(srv->listener, NULL, NULL);
                if (fd < 0)
                        return NULL;
                gboolean respmod = FALSE, preview = FALSE, ok = TRUE;
                while ((ok = read_line(fd, line)) && strcmp(line->str, "\r\n") != 0) {
                        g_string_append(srv->heads, line->str);
                        respmod = respmod || g_str_has_prefix(line->str, "RESPMOD ");
                        preview = preview || g_str_has_prefix(line->str, "Preview: ");
                }
                if (ok && respmod) { /* the encapsulated HTTP header, then the body */
                        while ((ok = read_line(fd, line)) && strcmp(line->str, "\r\n") != 0)
                                ;
                        gboolean ieof = FALSE;
                        ok = ok && read_chunks(srv, fd, &ieof);
                        if (ok && preview && !ieof && srv->continue_preview) {
                                send_text(fd, "ICAP/1.0 100 Continue\r\n\r\n");
                                ok = read_chunks(srv, fd, &ieof);
                        }
                }
                if (ok && !(respmod && srv->close_instead))
                        send_text(fd, *reply);
                close(fd);
        }
        return NULL;
}

static ScriptedIcap *scripted_icap_new(const char *const *replies, gboolean continue_preview)
{
        ScriptedIcap *srv = g_new0(ScriptedIcap, 1);
        srv->replies = replies;
        srv->continue_preview = continue_preview;
        srv->body = g_string_new(NULL);
        srv->heads = g_string_new(NULL);
        srv->listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
        socklen_t len = sizeof sin;
        g_assert_cmpint(bind(srv->listener, (struct sockaddr *)&sin, sizeof sin), ==, 0);
        g_assert_cmpint(listen(srv->listener, 4), ==, 0);
        g_assert_cmpint(getsockname(srv->listener, (struct sockaddr *)&sin, &len), ==, 0);
        srv->port = ntohs(sin.sin_port);
        return srv;
}

static void scripted_icap_start(ScriptedIcap *srv)
{
        srv->thread = g_thread_new("icap", scripted_icap_thread, srv);
}

static void scripted_icap_free(ScriptedIcap *srv)
{
        shutdown(srv->listener, SHUT_RDWR); /* ends an accept still waiting */
        if (srv->thread)
                g_thread_join(srv->thread);
        close(srv->listener);
        g_string_free(srv->body, TRUE);
        g_string_free(srv->heads, TRUE);
        g_free(srv);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ScriptedIcap, scripted_icap_free)

#define OPTIONS_PREVIEW_4 "ICAP/1.0 200 OK\r\nMethods: RESPMOD\r\nISTag: \"T-opt\"\r\nPreview: 4\r\n" \
        "Max-Connections: 3\r\nOptions-TTL: 60\r\nEncapsulated: null-body=0\r\n\r\n"

static ScanIcap *icap_for(ScriptedIcap *srv)
{
        g_autofree char *url = g_strdup_printf("icap://127.0.0.1:%u/avscan", srv->port);
        ScanIcap *icap = scan_icap_new(url, NULL);
        g_assert_nonnull(icap);
        scan_icap_set_timeout_ms(icap, 2000);
        return icap;
}

/* The file at a descriptor whose offset sits at its end: only pread from 0 sends it all. */
static int file_fd(const char *text)
{
        int fd = memfd_create("icap-test", MFD_CLOEXEC);
        g_assert_cmpint(write(fd, text, strlen(text)), ==, (gssize)strlen(text));
        return fd;
}

/* Starts srv and scans FILE_TEXT through it with a new client (timeout_ms: 0 for the default). */
static ScanVerdict *scan_through(ScriptedIcap *srv, int timeout_ms)
{
        if (srv->replies)
                scripted_icap_start(srv);
        g_autoptr(ScanIcap) icap = icap_for(srv);
        if (timeout_ms)
                scan_icap_set_timeout_ms(icap, timeout_ms);
        int fd = file_fd(FILE_TEXT);
        ScanVerdict *verdict = scan_icap_scan_fd(icap, fd, strlen(FILE_TEXT));
        close(fd);
        return verdict;
}

static void test_client_preview_then_continue(void)
{
        static const char *const replies[] = { OPTIONS_PREVIEW_4, "ICAP/1.0 204 No Content\r\nISTag: \"T-scan\"\r\n\r\n",
                                               NULL };
        g_autoptr(ScriptedIcap) srv = scripted_icap_new(replies, TRUE);
        scripted_icap_start(srv);
        g_autoptr(ScanIcap) icap = icap_for(srv);
        int fd = file_fd(FILE_TEXT);
        g_autoptr(ScanVerdict) verdict = scan_icap_scan_fd(icap, fd, strlen(FILE_TEXT));
        g_assert_cmpint(verdict->kind, ==, SCAN_VERDICT_OK);
        g_assert_cmpstr(verdict->istag, ==, "T-scan");
        g_assert_cmpint(scan_icap_preview(icap), ==, 4);
        g_assert_cmpuint(scan_icap_max_connections(icap), ==, 3);
        g_assert_cmpint(lseek(fd, 0, SEEK_CUR), ==, (off_t)strlen(FILE_TEXT)); /* its offset untouched */
        close(fd);
        g_assert_cmpstr(srv->body->str, ==, FILE_TEXT);
        g_assert_nonnull(strstr(srv->heads->str, "Preview: 4\r\n"));
        g_assert_nonnull(strstr(srv->heads->str, "Allow: 204\r\n"));
}

/* A 204 to a preview without ieof judged 4 bytes of 14: not OK. */
static void test_client_204_to_a_preview_is_error(void)
{
        static const char *const replies[] = { OPTIONS_PREVIEW_4, "ICAP/1.0 204 No Content\r\n\r\n", NULL };
        g_autoptr(ScriptedIcap) srv = scripted_icap_new(replies, FALSE);
        g_autoptr(ScanVerdict) verdict = scan_through(srv, 0);
        g_assert_cmpint(verdict->kind, ==, SCAN_VERDICT_ERROR);
        g_assert_cmpint(verdict->reason_class, ==, SCAN_REASON_PROTOCOL);
        g_assert_cmpstr(srv->body->str, ==, "hell");
}

static void test_client_closed_without_reply_is_error(void)
{
        static const char *const replies[] = { OPTIONS_PREVIEW_4, "unused", NULL };
        g_autoptr(ScriptedIcap) srv = scripted_icap_new(replies, TRUE);
        srv->close_instead = TRUE;
        g_autoptr(ScanVerdict) verdict = scan_through(srv, 0);
        g_assert_cmpint(verdict->kind, ==, SCAN_VERDICT_ERROR);
        g_assert_cmpint(verdict->reason_class, ==, SCAN_REASON_PROTOCOL);
}

/* OPTIONS that does not offer RESPMOD, or is not 200: no scan is tried. */
static void test_client_options_must_offer_respmod(void)
{
        static const char *const replies[] = {
                "ICAP/1.0 200 OK\r\nMethods: REQMOD\r\nEncapsulated: null-body=0\r\n\r\n",
                "ICAP/1.0 404 Service Not Found\r\n\r\n", NULL };
        g_autoptr(ScriptedIcap) srv = scripted_icap_new(replies, FALSE);
        scripted_icap_start(srv);
        g_autoptr(ScanIcap) icap = icap_for(srv);
        g_autoptr(GError) error = NULL;
        g_assert_false(scan_icap_options(icap, &error));
        g_assert_error(error, SCAN_ERROR, SCAN_ERROR_PROTOCOL);
        g_assert_nonnull(strstr(error->message, "RESPMOD"));
        int fd = file_fd(FILE_TEXT);
        g_autoptr(ScanVerdict) verdict = scan_icap_scan_fd(icap, fd, strlen(FILE_TEXT));
        close(fd);
        g_assert_cmpint(verdict->kind, ==, SCAN_VERDICT_ERROR);
        g_assert_cmpuint(srv->body->len, ==, 0);
}

/* A server that takes the file and never answers: the timeout ends the wait, not OK. */
static void test_client_silent_server_times_out(void)
{
        g_autoptr(ScriptedIcap) srv = scripted_icap_new(NULL, FALSE); /* accepts (backlog), never reads */
        gint64 start = g_get_monotonic_time();
        g_autoptr(ScanVerdict) verdict = scan_through(srv, 300);
        g_assert_cmpint(verdict->kind, ==, SCAN_VERDICT_ERROR);
        g_assert_cmpint(verdict->reason_class, ==, SCAN_REASON_TIMEOUT);
        g_assert_cmpint(g_get_monotonic_time() - start, <, 5 * G_USEC_PER_SEC);
}

/* The clamd client hands an ICAP address over: same address, same verdicts. */
static void test_client_delegates(void)
{
        g_autoptr(GError) error = NULL;
        g_autoptr(ScanClient) client = scan_client_new("icap://127.0.0.1:1/avscan", &error);
        g_assert_no_error(error);
        g_assert_cmpstr(scan_client_address(client), ==, "icap://127.0.0.1:1/avscan");
        g_assert_false(scan_client_uses_fildes(client));
        scan_client_set_timeout_ms(client, 2000);
        /* port 1 on loopback refuses: unreachable, never OK */
        g_assert_false(scan_client_ping(client, &error));
        g_assert_error(error, SCAN_ERROR, SCAN_ERROR_UNREACHABLE);
        g_autoptr(ScanVerdict) verdict = scan_client_scan_fd(client, 0, 0);
        g_assert_cmpint(verdict->kind, ==, SCAN_VERDICT_ERROR);
        g_assert_cmpint(verdict->reason_class, ==, SCAN_REASON_UNREACHABLE);
        g_autoptr(ScanClient) copy = scan_client_copy(client);
        g_assert_cmpstr(scan_client_address(copy), ==, "icap://127.0.0.1:1/avscan");
}

int main(int argc, char **argv)
{
        g_test_init(&argc, &argv, NULL);
        for (gsize i = 0; i < G_N_ELEMENTS(judge_cases); i++) {
                g_autofree char *path = g_strdup_printf("/scan/icap/reply/%s", judge_cases[i].name);
                g_test_add_data_func(path, &judge_cases[i], test_judge);
        }
        g_test_add_func("/scan/icap/reply/byte-by-byte-reads-the-same", test_byte_by_byte);
        g_test_add_func("/scan/icap/reply/line-over-the-cap-fails", test_line_cap);
        g_test_add_func("/scan/icap/reply/names-made-safe", test_names_made_safe);
        g_test_add_func("/scan/icap/reply/options-headers", test_options_headers);
        g_test_add_func("/scan/icap/url/parse-and-normalise", test_urls);
        g_test_add_func("/scan/icap/client/delegates-and-fails-closed", test_client_delegates);
        g_test_add_func("/scan/icap/client/preview-then-100-continue-sends-the-rest", test_client_preview_then_continue);
        g_test_add_func("/scan/icap/client/204-to-a-partial-preview-is-error", test_client_204_to_a_preview_is_error);
        g_test_add_func("/scan/icap/client/closed-without-reply-is-error", test_client_closed_without_reply_is_error);
        g_test_add_func("/scan/icap/client/options-must-offer-respmod", test_client_options_must_offer_respmod);
        g_test_add_func("/scan/icap/client/silent-server-times-out", test_client_silent_server_times_out);
        return g_test_run();
}
