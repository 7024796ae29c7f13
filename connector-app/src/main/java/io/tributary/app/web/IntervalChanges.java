package io.tributary.app.web;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import io.tributary.core.Tributary;
import io.tributary.core.event.ImportEvent;
import reactor.core.Disposable;

/**
 * The last change of each source's effective interval since this process started, with its reason, so that a source's
 * page can say why it polls slower than configured (the reason is carried only by the {@code interval-changed} event).
 */
@Component
class IntervalChanges implements DisposableBean {

    private final Map<String, IntervalChangeView> last = new ConcurrentHashMap<>();
    private final Disposable subscription;

    IntervalChanges(Tributary tributary) {
        this.subscription = tributary.events().ofType(ImportEvent.IntervalChanged.class).subscribe(e -> last.put(e.sourceId(),
                new IntervalChangeView(e.at(), e.from().toSeconds(), e.to().toSeconds(), e.reason())));
    }

    Optional<IntervalChangeView> last(String sourceId) {
        return Optional.ofNullable(last.get(sourceId));
    }

    @Override
    public void destroy() {
        subscription.dispose();
    }
}
