package io.tributary.core.spi;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

import io.tributary.core.ConnectorException;
import io.tributary.core.SourceDefinition;

/** Chooses a source's {@link DialectProvider} among those on the class path. */
public final class Dialects {

    private final List<DialectProvider> providers;

    public Dialects(List<DialectProvider> providers) {
        this.providers = List.copyOf(requireNonNull(providers, "providers must not be null"));
    }

    /** The providers found by {@link ServiceLoader} in this class's loader. */
    public static Dialects discover() {
        List<DialectProvider> found = new ArrayList<>();
        ServiceLoader.load(DialectProvider.class, Dialects.class.getClassLoader()).forEach(found::add);
        return new Dialects(found);
    }

    public List<String> names() {
        return providers.stream().map(DialectProvider::name).sorted().toList();
    }

    /**
     * The explicit {@code dialect} setting wins; otherwise the one provider that supports the URL.
     *
     * @throws ConnectorException.Permanent when none or several match, listing the candidates
     */
    public DialectProvider select(SourceDefinition source) {
        if (source.dialect() != null) {
            String wanted = source.dialect().toLowerCase(Locale.ROOT);
            return providers.stream().filter(p -> p.name().equals(wanted)).findFirst()
                    .orElseThrow(() -> new ConnectorException.Permanent("source " + source.id() + ": no dialect named '"
                            + source.dialect() + "'; available: " + String.join(", ", names())));
        }
        List<DialectProvider> matching = providers.stream().filter(p -> p.supports(source.url())).toList();
        if (matching.size() == 1) {
            return matching.get(0);
        }
        String scheme = source.url().contains(":") ? source.url().substring(0, source.url().indexOf(':') + 1) : source.url();
        if (matching.isEmpty()) {
            throw new ConnectorException.Permanent("source " + source.id() + ": no dialect supports URLs starting '"
                    + scheme + "'; available dialects: " + String.join(", ", names())
                    + " (e.g. postgresql://host:5432/db)");
        }
        throw new ConnectorException.Permanent("source " + source.id() + ": several dialects support '" + scheme + "': "
                + matching.stream().map(DialectProvider::name).collect(Collectors.joining(", "))
                + "; choose one with the dialect setting");
    }
}
