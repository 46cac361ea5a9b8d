package com.assignr.resilience.spring.boot.internal;

import java.util.Objects;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;

/**
 * Boot's startup report for a refused {@code assignr.resilience.*} value, as Boot reports its own
 * properties ({@code Property:}, {@code Value:}, {@code Origin:}, {@code Reason:}), with the origin
 * Boot's own analyzer leaves out for nested properties ({@code retry.max-attempts}: Boot finds
 * origins only for fields of the validated object itself). The origin is looked up in the
 * environment by the dashed name each error carries. Global errors (the credentials rules) have
 * no {@code Value:}: those values are secrets. Ahead of Boot's analyzer for these properties only.
 * Not for users.
 */
public final class PropertyFailureAnalyzer extends AbstractFailureAnalyzer<BindValidationException> implements Ordered {
  private static final String PREFIX = "assignr.resilience";
  private final Environment environment;

  /** Boot creates the analyzer with the application's environment. */
  public PropertyFailureAnalyzer(Environment environment) {
    this.environment = environment;
  }

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE;
  }

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, BindValidationException cause) {
    if (!cause.getValidationErrors().getName().toString().equals(PREFIX)) return null;
    StringBuilder description = new StringBuilder("Binding to target " + PREFIX + " failed:\n");
    for (ObjectError error : cause.getValidationErrors().getAllErrors()) {
      description.append('\n');
      if (error instanceof FieldError field) {
        String name = PREFIX + "." + field.getField();
        ConfigurationProperty property = find(name);
        description.append("    Property: ").append(name).append('\n');
        description.append("    Value: \"").append(field.getRejectedValue()).append("\"\n");
        if (property != null && property.getOrigin() != null) {
          description.append("    Origin: ").append(property.getOrigin()).append('\n');
        }
      }
      description.append("    Reason: ").append(error.getDefaultMessage()).append('\n');
    }
    return new FailureAnalysis(description.toString(), "Update your application's configuration", cause);
  }

  /** The property as the environment has it, origin included; null when it is not set. */
  ConfigurationProperty find(String name) {
    if (environment == null || !ConfigurationPropertyName.isValid(name)) return null;
    ConfigurationPropertyName key = ConfigurationPropertyName.of(name);
    for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
      ConfigurationProperty property = source.getConfigurationProperty(key);
      if (property != null && Objects.nonNull(property.getValue())) return property;
    }
    return null;
  }
}
