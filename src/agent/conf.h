/* agent/conf.h — clamav-agent's settings: defaults, clamav-agent.conf (clamd.conf names) and
 * command-line overrides. Owns: AgentConf and its parser. Must not: open sockets or load
 * signatures; it only describes what the other parts will do. */
#pragma once
#include <glib.h>
#include "agent/clamopts.h"

#define AGENT_ERROR (agent_error_quark())
GQuark agent_error_quark(void);

typedef enum {
        AGENT_ERROR_CONFIG,   /* a bad setting or unreadable configuration file */
        AGENT_ERROR_DATABASE, /* signatures missing, unreadable or not compilable */
        AGENT_ERROR_SOCKET,   /* a listener could not be created */
        AGENT_ERROR_IO,       /* any other system error */
} AgentError;

typedef struct {
        char *local_socket;        /* LocalSocket; NULL or "" = no unix socket */
        guint local_socket_mode;   /* LocalSocketMode (octal) */
        guint tcp_port;            /* TCPSocket; 0 = off */
        char *tcp_addr;            /* TCPAddr; loopback unless named */
        char *tls_certificate_file;/* TLSCertificateFile: TCPSocket speaks TLS only (PEM chain) */
        char *tls_key_file;        /* TLSKeyFile: its private key (PEM) */
        char *tls_client_ca;       /* TLSClientCA: clients need a certificate from this CA */
        guint tls_handshake_timeout; /* TLSHandshakeTimeout, s: a TLS client's handshake */
        char *database_directory;  /* DatabaseDirectory */
        char *temporary_directory; /* TemporaryDirectory: parent of the private spool dir */
        char *scratch_directory;   /* ScratchDirectory: "auto" or libclamav's scratch parent;
                                    * replaced by the private directory once it is made */
        guint max_threads;         /* MaxThreads: scanning threads */
        guint max_queue;           /* MaxQueue: scans waiting for a thread */
        guint max_connections;     /* MaxConnections: open connections (default threads + queue) */
        guint max_connections_per_client; /* MaxConnectionsPerClient (uid or IP; default half) */
        guint64 stream_max_length; /* StreamMaxLength, bytes */
        guint64 stream_memory_max; /* StreamMemoryMax: streams up to this are scanned in memory */
        guint64 stream_min_rate;   /* StreamMinRate, bytes/s over StreamRateWindow; 0 = off */
        guint stream_rate_window;  /* StreamRateWindow, s */
        guint read_timeout;        /* ReadTimeout, s */
        guint command_read_timeout;/* CommandReadTimeout, s */
        guint send_timeout_ms;     /* SendBufTimeout, ms */
        guint request_timeout;     /* RequestTimeout, s: total deadline to receive one request */
        guint idle_timeout;        /* IdleTimeout, s: an idle scanning thread exits */
        guint shutdown_timeout;    /* ShutdownTimeout, s: how long SIGTERM waits for scans */
        guint64 max_file_size;     /* MaxFileSize */
        guint64 max_scan_size;     /* MaxScanSize */
        guint max_recursion;       /* MaxRecursion */
        guint max_files;           /* MaxFiles */
        guint max_scan_time;       /* MaxScanTime, ms */
        gboolean alert_exceeds_max;       /* AlertExceedsMax */
        gboolean alert_encrypted_archive; /* AlertEncryptedArchive (AlertEncrypted sets both) */
        gboolean alert_encrypted_doc;     /* AlertEncryptedDoc */
        gboolean bytecode;                /* Bytecode */
        gboolean huge_pages;              /* HugePages: the compiled engine on 2 MiB pages */
        char *log_file;            /* LogFile */
        gboolean log_syslog;       /* LogSyslog */
        gboolean log_verbose;      /* LogVerbose */
        char *pid_file;            /* PidFile */
        gboolean foreground;       /* Foreground */
        gboolean debug;            /* Debug: libclamav's debug messages on stderr */
        gboolean log_clean;        /* LogClean: a log line for clean scans too (default yes) */
        char *log_facility;        /* LogFacility: syslog facility, e.g. LOG_LOCAL6 */
        GPtrArray *exclude_path;   /* ExcludePath, repeatable: GRegex *, matched against every
                                    * path a SCAN, CONTSCAN, MULTISCAN or ALLMATCHSCAN visits */
        char *virus_event;         /* VirusEvent: a command run (without a shell) per detection */
        gboolean follow_directory_symlinks; /* FollowDirectorySymlinks (path scans) */
        gboolean follow_file_symlinks;      /* FollowFileSymlinks (path scans) */
        gboolean cross_filesystems;         /* CrossFilesystems (path scans) */
        guint max_directory_recursion;      /* MaxDirectoryRecursion (path scans) */
        gboolean allow_all_match_scan;      /* AllowAllMatchScan */
        guint fail_if_cvd_older_than;       /* FailIfCvdOlderThan, days; 0 = off */
        char *pua_categories;      /* ExcludePUA or IncludePUA, repeatable: ".cat1.cat2." */
        gboolean pua_include;      /* the categories are IncludePUA's (else ExcludePUA's) */
        gint64 clam[AGENT_CLAM_SETTINGS]; /* libclamav settings by agent/clamopts.c row; -1 unset */
} AgentConf;

AgentConf *agent_conf_new(void); /* transfer full; every setting at its default */
void agent_conf_free(AgentConf *conf);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(AgentConf, agent_conf_free)

/* Reads a clamd.conf-style file ("Name value" lines, '#' comments) over the current values. */
gboolean agent_conf_load_file(AgentConf *conf, const char *path, GError **error);
/* Sets one setting by its clamd.conf name (used by the file parser and by tests). */
gboolean agent_conf_set(AgentConf *conf, const char *name, const char *value, GError **error);
/* Parses "PORT", "ADDR:PORT" or "[V6ADDR]:PORT" into tcp_addr/tcp_port (the --tcp option). */
gboolean agent_conf_set_tcp(AgentConf *conf, const char *spec, GError **error);
/* Checks the values against each other (e.g. at least one listener, MaxThreads ≥ 1). */
gboolean agent_conf_validate(AgentConf *conf, GError **error);

/* Parses "100M", "64k", "1G", "1234" into bytes. */
gboolean agent_conf_parse_size(const char *text, guint64 *out);
/* Parses yes/no, true/false, on/off, 1/0. */
gboolean agent_conf_parse_bool(const char *text, gboolean *out);
