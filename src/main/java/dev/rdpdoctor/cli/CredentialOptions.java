package dev.rdpdoctor.cli;

import dev.rdpdoctor.probe.Credentials;
import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import picocli.CommandLine.Option;

/**
 * --user and where its password comes from: the RDPDOCTOR_PASSWORD variable, --password-file, or a
 * prompt on a terminal. Never an argument, since command lines end up in shell history and process
 * lists.
 */
final class CredentialOptions {
  static final String PASSWORD_ENV = "RDPDOCTOR_PASSWORD";

  /** A password file is one line; anything larger is the wrong file. */
  static final long MAX_PASSWORD_FILE = 4096;

  @Option(
      names = "--user",
      paramLabel = "[DOMAIN\\]USER",
      description =
          "Account for the logon tests; password from $"
              + PASSWORD_ENV
              + ", --password-file, or a prompt.")
  String user;

  @Option(
      names = "--password-file",
      paramLabel = "FILE",
      description = "Read the password from the first line of FILE.")
  Path passwordFile;

  /** Thrown with a message fit to show the user as it is. */
  static final class CredentialError extends Exception {
    private static final long serialVersionUID = 1L;

    CredentialError(String message) {
      super(message);
    }
  }

  /** The credentials, or null when no --user was given. */
  Credentials resolve(Console console) throws CredentialError {
    if (user == null) {
      if (passwordFile != null) {
        throw new CredentialError("--password-file needs --user");
      }
      return null;
    }
    if (user.isBlank()) {
      throw new CredentialError("--user is empty");
    }
    char[] pw = null;
    try {
      if (passwordFile != null) {
        pw = readFile(passwordFile);
      } else if (System.getenv(PASSWORD_ENV) != null) {
        pw = System.getenv(PASSWORD_ENV).toCharArray();
      } else if (console != null && Terminal.interactive()) {
        pw = console.readPassword("Password for %s: ", user);
      }
      if (pw == null) {
        throw new CredentialError(
            "no password for "
                + user
                + ": set "
                + PASSWORD_ENV
                + ", use --password-file, or run on a terminal to be prompted");
      }
      return Credentials.parse(user, pw);
    } finally {
      if (pw != null) {
        Arrays.fill(pw, '\0');
      }
    }
  }

  private static char[] readFile(Path p) throws CredentialError {
    try {
      if (!Files.isRegularFile(p)) {
        throw new CredentialError("password file " + p + " is not a readable file");
      }
      if (Files.size(p) > MAX_PASSWORD_FILE) {
        throw new CredentialError(
            "password file "
                + p
                + " is larger than "
                + MAX_PASSWORD_FILE
                + " bytes; it should hold one line");
      }
      String text = new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
      int eol = text.indexOf('\n');
      String line = eol >= 0 ? text.substring(0, eol) : text;
      if (line.endsWith("\r")) {
        line = line.substring(0, line.length() - 1);
      }
      return line.toCharArray();
    } catch (IOException e) {
      throw new CredentialError("cannot read password file " + p + ": " + e.getMessage());
    }
  }
}
