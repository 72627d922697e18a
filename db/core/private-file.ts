import fs from "node:fs";

// The database and its backups hold API-token and feed-key hashes, webhook secrets, password hashes
// and sessions: readable by the owner only. SQLite gives the -wal, -shm and -journal files the mode
// of the database file, so making that one 0600 before SQLite first opens it covers them all.

/** Creates `file` empty with mode 0600 if it does not exist yet; an existing file is left as it is. */
export function createPrivateFile(file: string): void {
  try {
    fs.closeSync(
      fs.openSync(file, fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_WRONLY, 0o600),
    );
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
}
