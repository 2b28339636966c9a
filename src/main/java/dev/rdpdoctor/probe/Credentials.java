package dev.rdpdoctor.probe;

import java.util.Arrays;

/**
 * A user's logon secret for the opt-in credential probes (CredSSP logon, RD Gateway NTLM). Never
 * part of evidence: evidence is printed, and a password must never be. {@link #toString} redacts,
 * there is no accessor that returns the password as a String, and {@link #destroy} wipes it once
 * the probes are done.
 *
 * @param domain may be empty (local account or UPN in user)
 */
public final class Credentials {
  private final String domain;
  private final String user;
  private final char[] password;

  public Credentials(String domain, String user, char[] password) {
    this.domain = domain == null ? "" : domain;
    this.user = user;
    this.password = password.clone();
  }

  /** Parses DOMAIN\\user, user@domain (kept whole as NTLM does) or a bare user name. */
  public static Credentials parse(String account, char[] password) {
    int slash = account.indexOf('\\');
    if (slash >= 0) {
      return new Credentials(account.substring(0, slash), account.substring(slash + 1), password);
    }
    return new Credentials("", account, password);
  }

  public String domain() {
    return domain;
  }

  public String user() {
    return user;
  }

  /** DOMAIN\\user or user, for reports: the account is not a secret. */
  public String account() {
    return domain.isEmpty() ? user : domain + "\\" + user;
  }

  /** A copy of the password; the caller wipes it (Arrays.fill) after use. */
  public char[] password() {
    return password.clone();
  }

  public void destroy() {
    Arrays.fill(password, '\0');
  }

  @Override
  public String toString() {
    return "Credentials[" + account() + ", password redacted]";
  }
}
