/* core/cmd-table.c — the one command table: every command of line mode and of the full screen,
 * with its aliases, argument bounds, flags, usage, help and core handler. Keys of the full
 * screen are bindings onto these names (ui/actions.c), and `help` and F1 are made from it.
 * Must not: hold logic; a row says what a command is, the handler does it. */
#include "common/i18n.h"
#include "core/cmd.h"
#include "core/commands.h"

#define ANY CORE_CMD_UNLIMITED
#define NEEDS CORE_CMD_NEEDS_CONNECTION
#define REMOTE CORE_CMD_COMPLETES_REMOTE
#define LOCAL CORE_CMD_COMPLETES_LOCAL
#define SCREEN CORE_CMD_SCREEN_ONLY
#define SCREEN_BARE CORE_CMD_SCREEN_BARE
#define SCREEN_OWN CORE_CMD_SCREEN_OWN
#define SCREEN_SHORT CORE_CMD_SCREEN_SHORT

/* Sorted by name: `help` lists it in this order. Rows with SCREEN have no core handler: the
 * full screen provides it (ui/actions.c), and line mode says that they need the screen. */
static const CoreCmd commands[] = {
        { .name = "ascii",
          .max_args = 0,
          .usage = "ascii", .handler = core_cmd_ascii,
          .summary = N_("Transfer files as text (TYPE A)."),
          .help = N_("Text mode: uploads turn LF into CRLF and downloads turn CRLF into LF. Use "
                     "it only for text; binary files are damaged by it. `binary` switches back.") },
        { .name = "binary", .aliases = { "bin" },
          .max_args = 0,
          .usage = "binary", .handler = core_cmd_binary,
          .summary = N_("Transfer files byte for byte (TYPE I, the default)."),
          .help = N_("Binary mode: files arrive exactly as they were sent. This is the default.") },
        { .name = "cancel",
          .max_args = 1, .flags = SCREEN,
          .usage = "cancel [job|all]",
          .summary = N_("Cancel the running transfer, a job of the queue, or all."),
          .help = N_("Without an argument, stops the transfer that is running (Ctrl-C); `cancel "
                     "N` cancels job N of the queue (F9 shows the numbers); `cancel all` cancels "
                     "every job not finished.") },
        { .name = "cd", .aliases = { "cwd" },
          .min_args = 1, .max_args = 1, .flags = NEEDS | REMOTE,
          .usage = "cd <remote-directory>", .handler = core_cmd_cd,
          .summary = N_("Change the remote working directory."),
          .help = N_("Changes the directory on the server; `cdup` goes to the parent, `pwd` "
                     "shows where you are.") },
        { .name = "cdup",
          .max_args = 0, .flags = NEEDS,
          .usage = "cdup", .handler = core_cmd_cdup,
          .summary = N_("Go to the parent of the remote directory."),
          .help = N_("Changes the remote directory to its parent (CDUP).") },
        { .name = "chmod",
          .min_args = 2, .max_args = ANY, .flags = NEEDS | REMOTE | SCREEN_SHORT,
          .usage = "chmod <mode> <remote-path>...", .handler = core_cmd_chmod,
          .summary = N_("Change the mode of files on the server."),
          .help = N_("Sends SITE CHMOD for each name. The mode is octal (644, 0755) or symbolic as "
                     "chmod(1) takes it (u+x, go-w, a=rX); a symbolic mode starts from what the "
                     "server's listing shows, so it needs a server that lists permissions. "
                     "`lchmod` does the same here."),
          .screen_help = N_("Without a name, changes the mode of the selection of the active pane (or "
                            "the entry under the cursor), on either side: `chmod 755` at once, "
                            "`chmod` alone (Ctrl-X c) in a dialog that shows the current mode.") },
        { .name = "close", .aliases = { "disconnect" },
          .max_args = 0, .flags = NEEDS,
          .usage = "close", .handler = core_cmd_close,
          .summary = N_("Close the connection and stay in clamftp."),
          .help = N_("Says goodbye to the server (QUIT). Use `open` to connect again.") },
        { .name = "columns",
          .min_args = 1, .max_args = 2, .flags = SCREEN,
          .usage = "columns perms [on|off]",
          .summary = N_("Show or hide the permissions column, in both panes."),
          .help = N_("`columns perms` shows the permissions (rwxr-xr-x) in both panes even when "
                     "they are narrow, or stops forcing them; a pane wide enough shows them anyway.") },
        { .name = "command-line",
          .max_args = 1, .flags = SCREEN,
          .usage = "command-line [text]",
          .summary = N_("Open the : command line."),
          .help = N_("Opens the command line at the bottom of the screen, holding the text when "
                     "one is given. Tab completes, Up and Down browse the history.") },
        { .name = "compare",
          .max_args = 1, .flags = SCREEN | CORE_CMD_TOGGLE,
          .usage = "compare [on|off]",
          .summary = N_("Mark the differences between the two panes' directories."),
          .help = N_("Compares the local pane's directory with the remote pane's, as FileZilla's "
                     "directory comparison does: by size, then modification time (to the second "
                     "with MLSD, with a minute's slack for a LIST date). The mark column of each "
                     "pane shows N (newer here), O (older here: newer in the other pane), + (only "
                     "in this pane) and S (a different size, or a file against a directory); "
                     "equal entries are unmarked. The message line counts them, the local pane "
                     "being \"here\". The marks follow a refresh and go when either pane changes "
                     "directory, or with `compare off`. Ctrl-X d runs it.") },
        { .name = "copy",
          .max_args = 0, .flags = SCREEN,
          .usage = "copy",
          .summary = N_("Copy the selection to the other pane (upload through the scanner, or "
                        "download)."),
          .help = N_("Copies the selected entries, or the one under the cursor, to the other "
                     "pane's directory: local files are scanned and uploaded only when clean, "
                     "remote files are downloaded. Directories are copied with everything below "
                     "them. Each file is a job of the queue (F9).") },
        { .name = "cursor-down",
          .max_args = 0, .flags = SCREEN,
          .usage = "cursor-down",
          .summary = N_("Move down."),
          .help = N_("Moves the cursor of the active pane one entry down.") },
        { .name = "cursor-end",
          .max_args = 0, .flags = SCREEN,
          .usage = "cursor-end",
          .summary = N_("Go to the last entry."),
          .help = N_("Moves the cursor of the active pane to its last entry.") },
        { .name = "cursor-home",
          .max_args = 0, .flags = SCREEN,
          .usage = "cursor-home",
          .summary = N_("Go to the first entry."),
          .help = N_("Moves the cursor of the active pane to its first entry.") },
        { .name = "cursor-to",
          .min_args = 1, .max_args = 1, .flags = SCREEN,
          .usage = "cursor-to <n>",
          .summary = N_("Move to the n-th entry shown (a click on its row)."),
          .help = N_("Moves the cursor of the active pane to the n-th entry shown, counting from "
                     "1.") },
        { .name = "cursor-up",
          .max_args = 0, .flags = SCREEN,
          .usage = "cursor-up",
          .summary = N_("Move up."),
          .help = N_("Moves the cursor of the active pane one entry up.") },
        { .name = "delete", .aliases = { "rm" },
          .min_args = 1, .max_args = 2, .flags = NEEDS | REMOTE | SCREEN_BARE,
          .usage = "delete <remote-file> | delete -r <remote-directory>", .handler = core_cmd_delete,
          .summary = N_("Delete a file on the server."),
          .help = N_("Deletes one remote file (DELE). `delete -r` deletes a directory with "
                     "everything below it, after a question that says how many entries go "
                     "while `prompt` is on; links are deleted, never followed. An empty "
                     "directory is removed with `rmdir` too."),
          .screen_help = N_("Without a name, deletes the selection of the active pane, or the "
                            "entry under the cursor, after a question (F8); directories go with "
                            "everything below them.") },
        { .name = "dotfiles",
          .max_args = 1, .flags = SCREEN,
          .usage = "dotfiles [on|off]",
          .summary = N_("Show or hide names starting with a dot, in both panes."),
          .help = N_("Without an argument, toggles whether names starting with a dot are shown; "
                     "`on` shows them, `off` hides them.") },
        { .name = "dump-screen",
          .min_args = 1, .max_args = 1, .flags = SCREEN,
          .usage = "dump-screen <file>",
          .summary = N_("Write the screen as text to a file."),
          .help = N_("Writes what the screen shows, as plain text, to the file given.") },
        { .name = "edit",
          .max_args = 0, .flags = SCREEN,
          .usage = "edit",
          .summary = N_("Edit the file under the cursor in $EDITOR (a remote one: offered back)."),
          .help = N_("Opens the file under the cursor in $EDITOR (else $VISUAL, else editor or "
                     "vi), the screen given back to it until it exits (F4). A remote file is "
                     "fetched into a private temporary directory first; when its content changed, "
                     "a question offers to upload it back, and it is scanned and uploaded as every "
                     "upload is (refused when the scanner refuses it); unchanged, nothing is sent. "
                     "The temporary copy is removed afterwards.") },
        { .name = "enter",
          .max_args = 0, .flags = SCREEN,
          .usage = "enter",
          .summary = N_("Enter the directory under the cursor, or view the file there."),
          .help = N_("Changes the active pane to the directory under the cursor (Enter); on a "
                     "file, views it as `view` (F3) does.") },
        { .name = "filter",
          .max_args = 1, .flags = SCREEN,
          .usage = "filter [text]",
          .summary = N_("Show only names containing the text (or matching * ? [...]); empty: all."),
          .help = N_("Without an argument, starts typing a quick filter for the active pane "
                     "(Enter keeps it, Esc restores the one before). With a text, shows only the "
                     "names that contain it, or match it when it holds * ? or [.") },
        { .name = "get", .aliases = { "recv" },
          .min_args = 1, .max_args = 2, .flags = NEEDS | REMOTE | SCREEN_OWN,
          .usage = "get <remote-file> [local-directory | local-path]", .handler = core_cmd_get,
          .summary = N_("Download a file."),
          .help = N_("Downloads into the current local directory, into an existing local "
                     "directory, or to a new full path. The file is written as <name>.part and "
                     "renamed when complete; an interrupted download resumes. While `prompt` is "
                     "on, an existing file is not overwritten without a yes."),
          .screen_help = N_("Runs as a job of the transfer queue (F9), beside the other "
                            "transfers.") },
        { .name = "help", .aliases = { "?" },
          .max_args = 1, .flags = CORE_CMD_COMPLETES_COMMAND | SCREEN_BARE,
          .usage = "help [command]", .handler = core_cmd_help,
          .summary = N_("List the commands, or explain one."),
          .help = N_("Without an argument, lists every command with a line about it; `help "
                     "<command>` shows its usage and details."),
          .screen_help = N_("Without a name, opens this list with the keys (F1).") },
        { .name = "invert",
          .max_args = 0, .flags = SCREEN,
          .usage = "invert",
          .summary = N_("Invert the selection."),
          .help = N_("Selects every entry of the active pane that is not selected and unselects "
                     "the others.") },
        { .name = "lcd",
          .max_args = 1, .flags = LOCAL,
          .usage = "lcd [local-directory]", .handler = core_cmd_lcd,
          .summary = N_("Change the local working directory."),
          .help = N_("Changes the directory on this machine that uploads are read from and "
                     "downloads are written to. Without an argument, goes to your home directory.") },
        { .name = "lchmod",
          .min_args = 2, .max_args = ANY, .flags = LOCAL,
          .usage = "lchmod <mode> <local-path>...", .handler = core_cmd_lchmod,
          .summary = N_("Change the mode of local files."),
          .help = N_("Changes the mode of each local name (a link: of what it points to), in octal "
                     "or symbolic as chmod(1) takes it.") },
        { .name = "lls",
          .max_args = 1, .flags = LOCAL,
          .usage = "lls [local-path]", .handler = core_cmd_lls,
          .summary = N_("List a local directory."),
          .help = N_("Lists the local working directory, or the given directory or file, in the "
                     "same form as `ls`.") },
        { .name = "lpwd",
          .max_args = 0,
          .usage = "lpwd", .handler = core_cmd_lpwd,
          .summary = N_("Show the local working directory."),
          .help = N_("Prints the directory on this machine that `put` reads from and `get` "
                     "writes to.") },
        { .name = "ls", .aliases = { "dir" },
          .max_args = 1, .flags = NEEDS | REMOTE,
          .usage = "ls [remote-path]", .handler = core_cmd_ls,
          .summary = N_("List a remote directory."),
          .help = N_("Lists the remote working directory or the given path: type and "
                     "permissions, size, date (UTC) and name. Control characters in names are "
                     "shown escaped.") },
        { .name = "messages",
          .max_args = 0, .flags = SCREEN,
          .usage = "messages",
          .summary = N_("Show older messages (the message log)."),
          .help = N_("Opens the message log: every message of this run, newest last (Ctrl-X m). "
                     "Esc or q closes it.") },
        { .name = "mget",
          .min_args = 1, .max_args = ANY, .flags = NEEDS | REMOTE | SCREEN_OWN,
          .usage = "mget <name|pattern>... [local-directory]", .handler = core_cmd_mget,
          .summary = N_("Download several files, patterns or directories."),
          .help = N_("Downloads every name and every file matching a pattern (*, ?, [...]); "
                     "directories are fetched recursively. With two or more arguments, a last "
                     "argument that is an existing local directory is the destination. While "
                     "`prompt` is on, asks before each file."),
          .screen_help = N_("Runs as jobs of the transfer queue (F9), one job per file.") },
        { .name = "mirror",
          .min_args = 1, .max_args = ANY, .flags = NEEDS | LOCAL | SCREEN_BARE | SCREEN_OWN,
          .usage = "mirror [-R] [--delete] [--dry-run] [--only-newer] [--ignore-time] [--dereference] "
                   "[--exclude GLOB] [--exclude-from FILE] [--include GLOB] [--parallel N] [--json] "
                   "[--report FILE] [source-dir [target-dir]]",
          .handler = core_cmd_mirror,
          .summary = N_("Keep a directory in step with another: -R uploads, else downloads."),
          .help = N_("mirror -R uploads what the local tree has and the server does not, or has "
                     "smaller, larger or older (by size, then time); every file is scanned and "
                     "checked on the server like put, under a temporary name renamed into place. "
                     "Missing directories are made; --delete removes what the local tree no longer "
                     "has; --dry-run only prints the plan; --only-newer sends a changed file only "
                     "when it is newer; --ignore-time compares sizes alone; --exclude and --include "
                     "take globs matched against the path and the name. Symbolic links are not "
                     "followed unless --dereference: a local link then counts as the file or "
                     "directory it points to, a remote link to a file as that file. Ends with a summary. Without -R the other way: mirror REMOTE-DIR "
                     "LOCAL-DIR downloads what the server has newer or the local tree lacks, keeping "
                     "the server's times, and --delete removes here what the server no longer has."),
          .screen_help = N_("Works from the two panes: `mirror` downloads the remote pane's "
                            "directory into the local pane's, `mirror -R` uploads the local pane's "
                            "to the remote pane's (directories given still count). A dialog shows "
                            "the plan first (files and bytes to copy, directories to make, what "
                            "--delete removes, by name): Enter or y carries it out as jobs of the "
                            "queue (F9), Esc or n changes nothing.") },
        { .name = "mkdir",
          .min_args = 1, .max_args = 1, .flags = NEEDS | REMOTE | SCREEN_BARE,
          .usage = "mkdir <remote-directory>", .handler = core_cmd_mkdir,
          .summary = N_("Create a directory on the server."),
          .help = N_("Creates one remote directory (MKD)."),
          .screen_help = N_("Without a name, asks for one and makes the directory in the active "
                            "pane (F7).") },
        { .name = "move",
          .max_args = 0, .flags = SCREEN,
          .usage = "move",
          .summary = N_("Copy the selection to the other pane, then delete each file that "
                        "arrived."),
          .help = N_("Like `copy`, then deletes each source file that was copied completely; a "
                     "file the scanner refused, or one that failed, stays where it was.") },
        { .name = "mput",
          .min_args = 1, .max_args = ANY, .flags = NEEDS | LOCAL | SCREEN_OWN,
          .usage = "mput <file|pattern>...", .handler = core_cmd_mput,
          .summary = N_("Scan and upload several files or patterns."),
          .help = N_("Uploads every named file and every file matching a pattern: *.txt, or "
                     "folder/**/*.py where ** spans directories. Each file is scanned first and "
                     "uploaded only when the scanner says it is clean. While `prompt` is on, "
                     "asks before each file (yes, no, all, quit), then before it replaces a file "
                     "on the server."),
          .screen_help = N_("Runs as jobs of the transfer queue (F9), one job per file; each is "
                            "still scanned first.") },
        { .name = "open", .aliases = { "connect" },
          .max_args = 2,
          .usage = "open <host> [port] | open <URL> | open <site> | open", .handler = core_cmd_open,
          .summary = N_("Connect to an FTP server, or to a saved site."),
          .help = N_("Connects to the host (port 21 unless given) and logs in: a matching "
                     "~/.netrc entry is used, otherwise you are asked for a username and "
                     "password. A URL works too: ftp://user@host:port/dir, or ftps:// for "
                     "implicit TLS. The name of a saved site (see `site`) opens it with its user, "
                     "TLS policy, pinned certificate, settings and directories, the password from "
                     "the keyring; a site's name wins over a host of the same name (open the host "
                     "as ftp://name). `open` alone connects again to the last server or site, as "
                     "the same user (the password is asked again unless the keyring has it).") },
        { .name = "page-down",
          .max_args = 0, .flags = SCREEN,
          .usage = "page-down",
          .summary = N_("Move one page down."),
          .help = N_("Moves the cursor of the active pane one screen down.") },
        { .name = "page-up",
          .max_args = 0, .flags = SCREEN,
          .usage = "page-up",
          .summary = N_("Move one page up."),
          .help = N_("Moves the cursor of the active pane one screen up.") },
        { .name = "parallel",
          .max_args = 1,
          .usage = "parallel [N]", .handler = core_cmd_parallel,
          .summary = N_("Show or set how many connections a batch of transfers may use."),
          .help = N_("mput, mget and the full-screen copy spread their files over up to N "
                     "connections to the same server, each logged in like the first (1 turns it "
                     "off). Every file is still scanned before it is sent. Without an argument, "
                     "shows the current number.") },
        { .name = "parent",
          .max_args = 0, .flags = SCREEN,
          .usage = "parent",
          .summary = N_("Go to the parent directory."),
          .help = N_("Changes the active pane to the parent of its directory (Backspace).") },
        { .name = "passive", .aliases = { "pasv" },
          .max_args = 1, .flags = CORE_CMD_TOGGLE,
          .usage = "passive [on|off]", .handler = core_cmd_passive,
          .summary = N_("Toggle passive mode (the default) and active mode."),
          .help = N_("Passive mode: clamftp connects to the server for each transfer (EPSV, then "
                     "PASV). Active mode: the server connects back to clamftp (EPRT, then PORT).") },
        { .name = "prompt",
          .max_args = 1, .flags = CORE_CMD_TOGGLE,
          .usage = "prompt [on|off]", .handler = core_cmd_prompt,
          .summary = N_("Toggle asking per file in mput/mget and before overwriting."),
          .help = N_("While on (the default), mput and mget ask before each file, put and mput "
                     "ask before overwriting a file on the server, and get and mget before "
                     "overwriting a local file.") },
        { .name = "put", .aliases = { "send" },
          .min_args = 1, .max_args = 2, .flags = NEEDS | LOCAL | SCREEN_OWN,
          .usage = "put <local-file> [remote-path]", .handler = core_cmd_put,
          .summary = N_("Scan a file and upload it if it is clean."),
          .help = N_("Takes a private snapshot of the file, has the scanner check it, and "
                     "uploads exactly that snapshot only when the verdict is OK. A relative path "
                     "keeps its directories on the server; an explicit remote path is used as "
                     "given. Missing remote directories are created. While `prompt` is on, a "
                     "file that exists on the server is not overwritten without a yes."),
          .screen_help = N_("Runs as a job of the transfer queue (F9); the file is still scanned "
                            "first.") },
        { .name = "pwd",
          .max_args = 0, .flags = NEEDS,
          .usage = "pwd", .handler = core_cmd_pwd,
          .summary = N_("Show the remote working directory."),
          .help = N_("Asks the server where you are (PWD).") },
        { .name = "queue",
          .max_args = 1, .flags = SCREEN_BARE,
          .usage = "queue [resume|discard]", .handler = core_cmd_queue,
          .summary = N_("Show, resume or discard the transfers an earlier run left unfinished."),
          .help = N_("Transfers not finished when clamftp stopped (a crash, a kill, a quit with jobs "
                     "waiting), and those that failed, are kept in a journal. `queue` lists them (a failed "
                     "one with its reason), `queue resume` resumes them "
                     "(uploads are scanned again and go on after what the server holds; downloads go "
                     "on from their .part), `queue discard` drops them."),
          .screen_help = N_("Without an argument, opens or closes the queue view: every transfer asked "
                            "for, with its state, progress and verdict (F9).") },
        { .name = "queue-clear",
          .max_args = 0, .flags = SCREEN,
          .usage = "queue-clear",
          .summary = N_("Remove finished jobs from the queue."),
          .help = N_("Removes every finished, refused, failed or cancelled job from the queue "
                     "view.") },
        { .name = "quit", .aliases = { "bye", "exit", "q" },
          .max_args = 0, .flags = SCREEN_OWN,
          .usage = "quit", .handler = core_cmd_quit,
          .summary = N_("Close the connection and leave clamftp."),
          .help = N_("Says goodbye to the server if connected and ends clamftp. `bye` and `exit` "
                     "do the same."),
          .screen_help = N_("Leaves clamftp (F10); asks first while transfers are running or "
                            "waiting.") },
        { .name = "quote", .aliases = { "literal" },
          .min_args = 1, .max_args = ANY, .flags = NEEDS,
          .usage = "quote <raw command>", .handler = core_cmd_quote,
          .summary = N_("Send one raw command to the server."),
          .help = N_("Sends the words as one FTP command and prints the reply. Commands that "
                     "open a data connection do not work this way; use the commands above.") },
        { .name = "reconnect",
          .max_args = 1,
          .usage = "reconnect [N]", .handler = core_cmd_reconnect,
          .summary = N_("Show or set how often a lost connection is reconnected during transfers."),
          .help = N_("When the server drops a connection in the middle of put, get, mput, mget or "
                     "a full-screen copy (a reset, 421, a reply timeout), clamftp connects again "
                     "up to N times, 1, 2, 4 … seconds apart, logs in as before (the same TLS and "
                     "certificate, type, mode and directory) and goes on: the file that was being "
                     "sent is sent again from the copy that was scanned, a download goes on from "
                     "its .part. 0 turns it off. Without an argument, shows the current number.") },
        { .name = "refresh",
          .max_args = 0, .flags = SCREEN,
          .usage = "refresh",
          .summary = N_("Read both panes again."),
          .help = N_("Reads the local directory and lists the remote directory again (Ctrl-R).") },
        { .name = "rename", .aliases = { "mv" },
          .min_args = 2, .max_args = 2, .flags = NEEDS | REMOTE | SCREEN_BARE,
          .usage = "rename <old-name> <new-name>", .handler = core_cmd_rename,
          .summary = N_("Rename or move a file on the server."),
          .help = N_("Renames a remote file or directory (RNFR, RNTO)."),
          .screen_help = N_("Without names, asks for the new name of the entry under the cursor "
                            "in the active pane (F6).") },
        { .name = "reput",
          .min_args = 1, .max_args = 2, .flags = NEEDS | LOCAL,
          .usage = "reput <local-file> [remote-path]", .handler = core_cmd_reput,
          .summary = N_("Resume an interrupted upload."),
          .help = N_("Like `put`, but when the server already holds the first part of the file, "
                     "only the rest is sent (REST and STOR, or APPE). The whole file is scanned "
                     "first, as always.") },
        { .name = "rmdir",
          .min_args = 1, .max_args = 1, .flags = NEEDS | REMOTE,
          .usage = "rmdir <remote-directory>", .handler = core_cmd_rmdir,
          .summary = N_("Remove an empty directory on the server."),
          .help = N_("Removes one remote directory (RMD); the server refuses one that is not "
                     "empty.") },
        { .name = "scan",
          .min_args = 1, .max_args = ANY, .flags = LOCAL | SCREEN_BARE,
          .usage = "scan <file|pattern>...", .handler = core_cmd_scan,
          .summary = N_("Scan local files without uploading them."),
          .help = N_("Sends each file to the scanner and prints its verdict: OK, INFECTED with "
                     "the signature name, or ERROR with the reason."),
          .screen_help = N_("Without a name, scans the selected local files, or the one under "
                            "the cursor (F2).") },
        { .name = "search",
          .max_args = 1, .flags = SCREEN,
          .usage = "search [text]",
          .summary = N_("Find a name in the active pane as you type (Ctrl-S)."),
          .help = N_("Without text, starts mc's quick search: what you type moves the cursor to "
                     "the next name that contains it (case does not count; a letter that finds "
                     "nothing is refused), Ctrl-S again finds the next one, Enter or Esc ends it "
                     "and any other key ends it and acts. With text, moves to the next name that "
                     "contains it.") },
        { .name = "select",
          .max_args = 0, .flags = SCREEN,
          .usage = "select",
          .summary = N_("Select or unselect the entry, then move down."),
          .help = N_("Toggles the selection of the entry under the cursor and moves down (Insert "
                     "or Space).") },
        { .name = "select-pattern",
          .max_args = 1, .flags = SCREEN,
          .usage = "select-pattern [glob]",
          .summary = N_("Select the names matching a pattern (+)."),
          .help = N_("Selects every entry of the active pane whose name matches the pattern (* ? "
                     "[abc] as in a shell: a leading dot must be written); without one, asks for it, "
                     "starting from *. The status bar shows how many entries are selected and the "
                     "size of the files among them.") },
        { .name = "set",
          .max_args = 2,
          .usage = "set [limit-rate <rate> | limit-total <rate> | scanner-wait <seconds>]", .handler = core_cmd_set,
          .summary = N_("Show or set the speed limits of transfers and the scanner wait."),
          .help = N_("limit-rate caps each transfer, limit-total all of them together (the parallel "
                     "connections of a batch too), in bytes per second: 500K, 2M, 1.5MiB (K, M and "
                     "G are 1024-based, as curl's --limit-rate), 0 or off for none. A change holds "
                     "from the next piece of data of the transfers already running. Without "
                     "arguments, shows both. Also --limit-rate, --limit-total and [transfer] "
                     "limit-rate, limit-total in the configuration file. Listings are never "
                     "slowed. scanner-wait: how long a scanner that gives no verdict (unreachable, "
                     "gone in the middle of a scan, too slow) is retried, or waited for while "
                     "another member of the pool takes the file, before the file is refused: 60 s "
                     "by default, 0 for no wait; also --scanner-wait and [scanner] wait.") },
        { .name = "site",
          .min_args = 1, .max_args = ANY,
          .usage = "site add <name> [URL] [options] | site edit <name> [URL] [options] | site list | "
                   "site rm <name> | site password <name>",
          .handler = core_cmd_site,
          .summary = N_("Save, list and remove sites: servers opened by name (open <name>)."),
          .help = N_("site add NAME URL saves a server as ftp://user@host:port/dir (ftps:// for "
                     "implicit TLS) with options --tls=auto|require|off, --active or --passive, "
                     "--parallel N, --remote-dir D, --local-dir D, --scanner ADDRESS, "
                     "--fingerprint SHA256 (a pinned certificate) and --no-password; without a URL "
                     "it saves the current connection (server, user, TLS, directories, a certificate "
                     "trusted by its fingerprint). Sites live in ~/.config/clamftp/sites.conf. A "
                     "password is never written there: a password in the URL, or one you type when "
                     "asked, goes to the desktop keyring (Secret Service) when one is running; "
                     "otherwise it is asked at each connect. site edit NAME changes what is given "
                     "(an empty value removes a setting; another server or user forgets the stored "
                     "password), site list shows them, site rm NAME removes one and its password, "
                     "site password NAME stores a password for it. Opening a site sets its scanner, "
                     "mode and connections for the session. Ctrl-\\ in the full screen opens the site "
                     "manager.") },
        { .name = "sites",
          .max_args = 0, .flags = SCREEN,
          .usage = "sites",
          .summary = N_("Open the site manager: the saved sites (Ctrl-\\)."),
          .help = N_("Lists the saved sites over the panes (mc's hotlist key, Ctrl-\\): Up/Down "
                     "move, Enter connects (closing the connection there is), a saves the current "
                     "connection under a name you type, e puts `site edit` with everything the site "
                     "holds on the command line, d deletes the site and its password (asked first), "
                     "Esc closes. In line mode, see `site`.") },
        { .name = "size",
          .min_args = 1, .max_args = 1, .flags = NEEDS | REMOTE,
          .usage = "size <remote-file>", .handler = core_cmd_size,
          .summary = N_("Show the size of a remote file."),
          .help = N_("Asks the server for the size of one file in bytes (SIZE).") },
        { .name = "sort",
          .max_args = 1, .flags = SCREEN,
          .usage = "sort [name|size|time|reverse]",
          .summary = N_("Sort the active pane (no word: the next order)."),
          .help = N_("Sorts the active pane by name, by size (largest first) or by time (newest "
                     "first); without a word, goes to the next order. `reverse` (S) turns the "
                     "order round, or back (directories stay first); the pane's header shows "
                     "`rev` while it is.") },
        { .name = "status",
          .max_args = 0,
          .usage = "status", .handler = core_cmd_status,
          .summary = N_("Show the connection, the settings and the scanner."),
          .help = N_("Shows the server and port, the user, the remote directory, the transfer "
                     "type, passive or active mode, prompting, the connection's security, the "
                     "scanner and its last answer, and the audit log.") },
        { .name = "swap-panes",
          .max_args = 0, .flags = SCREEN,
          .usage = "swap-panes",
          .summary = N_("Draw the server's pane on the left, or on the right again."),
          .help = N_("Swaps where the two panes are drawn (Ctrl-U, mc's swap panels; FileZilla's "
                     "\"swap local and remote panes\"): each pane keeps its side's files, keys and "
                     "commands, only its place on the screen changes.") },
        { .name = "switch-pane",
          .max_args = 0, .flags = SCREEN,
          .usage = "switch-pane",
          .summary = N_("Make the other pane active."),
          .help = N_("Moves the cursor to the other pane (Tab).") },
        { .name = "sync-browse",
          .max_args = 1, .flags = SCREEN | CORE_CMD_TOGGLE,
          .usage = "sync-browse [on|off]",
          .summary = N_("Toggle synchronized browsing of the two panes."),
          .help = N_("While on, entering a directory (or going up) in one pane enters the "
                     "directory of the same name (or goes up) in the other, as FileZilla's "
                     "synchronized browsing does. When the other side has no such directory, "
                     "the message line says so and sync-browse turns itself off. The status bar "
                     "shows `sync` while it is on.") },
        { .name = "temp-upload",
          .max_args = 1, .flags = CORE_CMD_TOGGLE,
          .usage = "temp-upload [on|off]", .handler = core_cmd_temp_upload,
          .summary = N_("Toggle uploading to a temporary name first."),
          .help = N_("While on, each upload goes to a hidden temporary name in its directory "
                     "(.NAME.clamftp-XXXXXX) and is renamed onto its own name only once the server "
                     "stored it whole and it was checked against the scanned file, so its name is "
                     "never seen half-written; a failed upload removes its temporary file. Off by "
                     "default.") },
        { .name = "unselect-pattern",
          .max_args = 1, .flags = SCREEN,
          .usage = "unselect-pattern [glob]",
          .summary = N_("Unselect the names matching a pattern (-)."),
          .help = N_("Unselects every entry of the active pane whose name matches the pattern, "
                     "as `select-pattern` selects them; without one, asks for it, starting from *.") },
        { .name = "user",
          .min_args = 1, .max_args = 2, .flags = NEEDS,
          .usage = "user <name> [password]", .handler = core_cmd_user,
          .summary = N_("Log in again as another user."),
          .help = N_("Sends USER and PASS on the open connection; asks for the password when it "
                     "is not given.") },
        { .name = "verbose",
          .max_args = 1, .flags = CORE_CMD_TOGGLE,
          .usage = "verbose [on|off]", .handler = core_cmd_verbose,
          .summary = N_("Toggle showing the conversation with the server."),
          .help = N_("While on, every command sent and every reply received is shown (passwords "
                     "masked).") },
        { .name = "view",
          .max_args = 0, .flags = SCREEN,
          .usage = "view",
          .summary = N_("View the file under the cursor (text or hex; $PAGER when set)."),
          .help = N_("Shows the file under the cursor (F3, or Enter on a file) in the viewer: "
                     "Up/Down/PgUp/PgDn/Home/End scroll, / searches, n finds the next match, h "
                     "switches between text and hex (hex from the start for a file that is not "
                     "UTF-8 text); control characters and terminal escapes are shown escaped "
                     "(\\x1b), never obeyed; Esc or q closes. With $PAGER set, that program shows "
                     "it instead. A remote file is fetched into a private temporary directory "
                     "first (after a question when it is over 64 MiB), removed afterwards.") },
};

const CoreCmd *core_cmd_table(gsize *n_commands)
{
        if (n_commands)
                *n_commands = G_N_ELEMENTS(commands);
        return commands;
}
