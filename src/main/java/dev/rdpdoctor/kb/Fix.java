package dev.rdpdoctor.kb;

import java.util.List;

/**
 * A remedy from the knowledge base.
 *
 * @param where client, server, network or gateway: whose machine the steps run on
 * @param risk what the fix costs, especially in security
 * @param undo how to go back; required whenever the fix lowers security
 */
public record Fix(String id, String title, String where, List<FixStep> steps, String risk,
    List<FixStep> undo) {}
