package dev.gracefulshutdown.internal.explore;

import dev.gracefulshutdown.ExploreShutdown;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * {@link ExploreShutdown}'s attributes, validated before anything runs.
 *
 * @param budget at most this many points, and this many hook orders
 * @param seed the sample's seed, or {@code null} for a new one
 * @param hookOrders whether the hooks also run in each order
 * @param replayPoint the one point to replay ({@code "task#2 started"}), or {@code null}
 * @param replayOrder the one hook order to replay (positions from 1), or {@code null}
 */
record Options(int budget, Long seed, boolean hookOrders, String replayPoint, List<Integer> replayOrder) {

    boolean replays() {
        return replayPoint != null || replayOrder != null;
    }

    static Options of(ExploreShutdown annotation, String on) {
        if (annotation.budget() < 1) {
            throw invalid(on, "budget = " + annotation.budget(), "`budget` must be at least 1, but was " + annotation.budget());
        }
        Long seed = null;
        if (!annotation.seed().isBlank()) {
            try {
                seed = Long.parseLong(annotation.seed().trim());
            } catch (NumberFormatException e) {
                throw invalid(on, "seed = \"" + annotation.seed() + "\"", "`seed` must be a whole number such as 42, but was \""
                        + annotation.seed() + "\"", e);
            }
        }
        String point = null;
        List<Integer> order = null;
        String replay = annotation.replay();
        if (!replay.isBlank()) {
            String attribute = "replay = \"" + replay + "\"";
            for (String part : replay.split(";")) {
                String text = part.trim();
                if (text.startsWith("after ") && point == null && !text.substring(6).isBlank()) {
                    point = text.substring(6).trim();
                } else if (text.startsWith("hooks ") && order == null) {
                    order = order(on, attribute, text.substring(6));
                } else {
                    throw invalid(on, attribute, "`replay` takes \"after <point>\" (as a failing run names it, e.g. "
                            + "\"after task#2 started\"), \"hooks <order>\" (e.g. \"hooks 2,1\") or both separated by \";\", "
                            + "but was \"" + replay + "\"");
                }
            }
        }
        return new Options(annotation.budget(), seed, annotation.hookOrders(), point, order);
    }

    private static List<Integer> order(String on, String attribute, String text) {
        List<Integer> order = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        for (String position : text.split(",")) {
            int value;
            try {
                value = Integer.parseInt(position.trim());
            } catch (NumberFormatException e) {
                throw invalid(on, attribute, "`replay`'s hook order lists hook positions from 1 separated by commas (\"hooks 2,1\"), "
                        + "but \"" + position.trim() + "\" is not a number", e);
            }
            if (value < 1 || !seen.add(value)) {
                throw invalid(on, attribute, "`replay`'s hook order names each hook once, by its position from 1, but "
                        + (value < 1 ? "has " + value : "names " + value + " twice"));
            }
            order.add(value);
        }
        if (order.size() < 2) {
            throw invalid(on, attribute, "`replay`'s hook order needs at least two hooks, but names " + order.size());
        }
        return List.copyOf(order);
    }

    private static ExtensionConfigurationException invalid(String on, String attribute, String why) {
        return invalid(on, attribute, why, null);
    }

    private static ExtensionConfigurationException invalid(String on, String attribute, String why, Throwable cause) {
        return new ExtensionConfigurationException("@ExploreShutdown(" + attribute + ") on " + on + ": " + why, cause);
    }

    /** How replay writes an order: {@code "hooks 2,1"}. */
    static String hooks(List<Integer> order) {
        return "hooks " + String.join(",", order.stream().map(String::valueOf).toList());
    }
}
