package io.cachegrid.fault;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Why: when a fault test fails, the message must say exactly what is wrong (which key, through which member,
 * what was expected and what came back) and how much of it there is, e.g. "197 stale values of 900 reads".
 */
final class Report {

    private static final int SHOWN = 25;

    private final String subject;
    private final Map<String, Integer> counts = new TreeMap<>();
    private final List<String> lines = new ArrayList<>();
    private final Map<String, Integer> notes = new TreeMap<>();
    private int checked;

    Report(String subject) {
        this.subject = subject;
    }

    synchronized void checked() {
        checked++;
    }

    /** One problem of a kind ("stale value", "deleted key back", ...) with its precise description. */
    synchronized void problem(String kind, String line) {
        counts.merge(kind, 1, Integer::sum);
        if (lines.size() < SHOWN) {
            lines.add(kind + ": " + line);
        }
    }

    /** Something worth knowing that is not a failure (e.g. a copy more than R), counted and shown after problems. */
    synchronized void note(String kind) {
        notes.merge(kind, 1, Integer::sum);
    }

    synchronized boolean clean() {
        return counts.isEmpty();
    }

    synchronized int count(String kind) {
        return counts.getOrDefault(kind, 0);
    }

    synchronized int checkedCount() {
        return checked;
    }

    /** "12 stale value, 3 deleted key back of 450 reads" and the first problems, one a line. */
    synchronized String text() {
        if (counts.isEmpty()) {
            return "no problem in " + checked + " " + subject + notes();
        }
        StringBuilder out = new StringBuilder();
        counts.forEach((kind, n) -> out.append(out.isEmpty() ? "" : ", ").append(n).append(" ").append(kind));
        out.append(" of ").append(checked).append(" ").append(subject);
        lines.forEach(line -> out.append("\n  ").append(line));
        int total = counts.values().stream().mapToInt(Integer::intValue).sum();
        if (total > lines.size()) {
            out.append("\n  ... and ").append(total - lines.size()).append(" more");
        }
        String notes = notes();
        return notes.isEmpty() ? out.toString() : out.append("\n ").append(notes).toString();
    }

    private String notes() {
        StringBuilder out = new StringBuilder();
        notes.forEach((kind, n) -> out.append(out.isEmpty() ? " (not failures: " : ", ").append(n).append(" ")
                .append(kind));
        return out.isEmpty() ? "" : out.append(")").toString();
    }

    @Override
    public String toString() {
        return text();
    }
}
