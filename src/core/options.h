/* core/options.h — what the user asked for on the command line and in the config file, and the
 * ftp:// URL that opens a connection at once.
 * Owns: GOptionContext, the config file (GKeyFile), URL parsing, applying all of it to a context.
 * Must not: print (main() shows --help, --version and errors), or turn scanning off. */
#pragma once
#include <glib.h>
#include "core/context.h"

#define CORE_OPTIONS_ERROR (core_options_error_quark())
GQuark core_options_error_quark(void);
typedef enum {
        CORE_OPTIONS_ERROR_USAGE,  /* an unknown option, a bad value, a bad URL */
        CORE_OPTIONS_ERROR_CONFIG, /* the config file does not parse or holds a bad value */
} CoreOptionsErrorCode;

typedef struct {
        char *host;
        guint16 port;       /* 21 unless given */
        char *user;         /* NULL: netrc or the prompt */
        char *password;     /* NULL: netrc or the prompt; "" given for anonymous without one */
        char *path;         /* where to cd after login (decoded), NULL for none */
        gboolean implicit_tls; /* ftps://: TLS before the greeting (port 990 unless given) */
} CoreUrl;

/* "ftp://[user[:password]@]host[:port][/path]" (or ftps:// for implicit TLS) or a bare "host[:port]". A path "/dir" is relative
 * to the login directory (RFC 1738); "/%2Fdir" is absolute. */
CoreUrl *core_url_parse(const char *text, GError **error);
void core_url_free(CoreUrl *url);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CoreUrl, core_url_free)

typedef struct {
        /* command line */
        gboolean line;          /* --line: line mode even on a terminal */
        char *commands;         /* -c 'cmd; cmd' (several -c are run in order, joined with ';') */
        char **commands_given;  /* each -c as given */
        char *batch_file;       /* -b FILE */
        char *scanner;          /* --scanner (each one given, joined with ','), else [scanner] address
                                   and scanners, else CORE_DEFAULT_SCANNER: one address or a list */
        char **scanners_given;  /* each --scanner as given */
        char *scanner_cert;     /* --scanner-cert, else [scanner] tls-cert: shown to tls: scanners */
        char *scanner_key;      /* --scanner-key, else [scanner] tls-key */
        char *config_file;      /* --config, else $XDG_CONFIG_HOME/clamftp/clamftp.conf */
        char *audit_log;        /* --audit-log, else [audit] path, else the XDG state directory */
        gboolean active;        /* --active */
        gboolean no_prompt;     /* -n, --no-prompt */
        gboolean version;       /* --version */
        gboolean check_audit;   /* --check-audit: verify the audit log and exit */
        char **audit_files;     /* --check-audit's FILE… (oldest first); empty: the log clamftp writes */
        gboolean resume_queue;  /* --resume-queue: resume what an earlier run left in the journal */
        gboolean discard_queue; /* --discard-queue: drop it */
        char *tls;              /* --tls=auto|require|off, else [ftp] tls */
        char *trust_fingerprint;/* --trust-fingerprint SHA256 */
        int tls_max_version;    /* [ftp] tls-max-version = 1.2 | 1.3 (0: newest) */
        CoreUrl *url;           /* the optional argument */

        /* config file (command-line options win) */
        int scanner_timeout_ms; /* 0: the client's default */
        gboolean passive;       /* [ftp] passive, default TRUE */
        FtpTimeouts timeouts;   /* 0: the context's default */
        int parallel;           /* --parallel N, else [transfer] parallel; -1: the default */
        int reconnect;          /* --reconnect N, else [ftp] reconnect; -1: the default */
        int scanner_wait;       /* --scanner-wait SECONDS, else [scanner] wait; -1: the default */
        int temp_upload;        /* [transfer] temp-upload: 1 or 0; -1: the default (off) */
        char *limit_rate;       /* --limit-rate RATE, else [transfer] limit-rate (core/rate.h) */
        char *limit_total;      /* --limit-total RATE, else [transfer] limit-total */
        gint64 max_file_size;   /* [scanner] max-file-size in bytes: the largest file the scanner is
                                   sent, over what it reports (scan/limits.h); 0: what it reports */
} CoreOptions;

/* Parses argv (consumed) and then the config file. --help is handled by GLib (prints, exit 0). */
CoreOptions *core_options_parse(int argc, char **argv, GError **error);
/* Overwrites, in place, the password of every ftp:// or ftps:// URL among the program's own
 * arguments with '*' (as curl does), so that ps and /proc/PID/cmdline no longer show it. Call
 * after core_options_parse, which keeps its own copy. */
void core_options_hide_passwords(int argc, char **argv);
/* Reads a config file into opts; a missing default file is not an error, a missing --config is. */
gboolean core_options_load_config(CoreOptions *opts, const char *path, gboolean must_exist,
                                  GError **error);
void core_options_free(CoreOptions *opts);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CoreOptions, core_options_free)

/* Sets the context's scanner, audit log, mode, prompting and timeouts from opts. */
gboolean core_options_apply(const CoreOptions *opts, CoreContext *ctx, GError **error);
/* "auto" (also NULL), "require" (also required, on, yes) or "off" (also no). */
gboolean core_tls_policy_parse(const char *text, FtpTlsPolicy *policy);
/* Opens the URL (connect, login, cd), when there is one. */
gboolean core_options_open_url(const CoreOptions *opts, CoreContext *ctx, GError **error);
