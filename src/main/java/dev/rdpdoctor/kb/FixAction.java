package dev.rdpdoctor.kb;

/**
 * A fix step in a form a script generator can act on (and check first, so the script is
 * idempotent), beside the human-readable {@link FixStep}s. Only the fields of the action's type are
 * set.
 *
 * <ul>
 *   <li>{@code registry}: set {@code name} under {@code path} (HKLM\... or HKCU\...) to {@code
 *       data} of {@code valueType} (DWORD or String); undo sets {@code undoData}, or removes the
 *       value when that is null.
 *   <li>{@code registry-key-remove}: export {@code path} to a backup file, then delete it; undo
 *       imports the backup.
 *   <li>{@code file-rename}: rename {@code path} ({@code {documents}} = the user's Documents) to
 *       {@code path + ".rdpdoctor-bak"}; undo renames it back.
 *   <li>{@code firewall-group}: enable the inbound rules of the display {@code group}; undo
 *       disables the ones this script enabled.
 *   <li>{@code service-restart}: restart {@code service}; nothing to undo.
 *   <li>{@code cmdkey-delete}: delete the saved credential {@code target} (TERMSRV/{host}); undo
 *       cannot restore a secret, it says how to save it again.
 *   <li>{@code command}: run {@code command} (PowerShell, safe to repeat); {@code undoCommand} if
 *       any.
 * </ul>
 *
 * @param why the reason, written as a comment above the step
 * @param lowersSecurity the step only runs when the script is asked to include such steps
 */
public record FixAction(
    String type,
    String why,
    String path,
    String name,
    String valueType,
    String data,
    String undoData,
    String group,
    String service,
    String target,
    String command,
    String undoCommand,
    boolean lowersSecurity) {}
