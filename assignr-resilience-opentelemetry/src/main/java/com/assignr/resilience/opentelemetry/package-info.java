/**
 * OpenTelemetry tracing for assignr-resilience: {@link
 * com.assignr.resilience.opentelemetry.AssignrTracing}, a {@link
 * com.assignr.resilience.spi.CallObserver} to give {@code AssignrResilience.Builder.observer}.
 */
package com.assignr.resilience.opentelemetry;
