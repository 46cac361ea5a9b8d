package com.assignr.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.assignr.resilience.spi.Admission;
import com.assignr.resilience.spi.Permit;
import com.assignr.resilience.spi.RateLimitGate;
import java.io.IOException;
import java.lang.reflect.Executable;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What {@code javap} of the user's package shows: the vocabulary, and nothing a user could call to
 * change a gate's counts or to ask the engine for a decision. A new public type here is a decision
 * about the API: add it to {@link #VOCABULARY} on purpose.
 */
class ApiSurfaceTest {
  static final Set<String> VOCABULARY = Set.of(
      "AssignrException", "AssignrResilience",
      "AssignrResilience$Builder", "BadRequestException", "CircuitOpenException", "Classification",
      "ConflictException", "CredentialsRefusedException", "Decision", "Decision$Retry",
      "Decision$Stop", "FailureDetails", "ForbiddenException", "GatePolicy", "GatePolicy$Builder",
      "GateState", "GateState$Mode", "InsecureRequestException", "InvalidSettingsException",
      "InvalidSettingsException$Problem", "NotFoundException", "Outcome", "PaymentRequiredException",
      "QuotaKey", "RateLimitInfo", "RateLimitedException", "RequestInfo", "Resilience4jRetries",
      "RetryListener", "RetryPolicy", "RetryPolicy$Builder", "RetryRule", "ServerErrorException",
      "Slf4jRetryListener", "StopReason", "TimeSource", "TimeSource$Cancellable", "TokenFailureException",
      "TokenInvalidException", "TokenUnavailableException", "TransportException", "UnauthorizedException",
      "ValidationException");

  /** Types through which a gate's counts change, or the engine decides. */
  static final Set<Class<?>> MACHINERY = Set.of(RateLimitGate.class, Permit.class, Admission.class,
      Admission.Wait.class, RetryEngine.class, FailureClassifier.class, Settlement.class);

  static List<Class<?>> publicTypesOfTheApiPackage() throws IOException, URISyntaxException, ClassNotFoundException {
    Path dir = Path.of(AssignrResilience.class.getProtectionDomain().getCodeSource().getLocation().toURI())
        .resolve("com/assignr/resilience");
    List<Class<?>> types = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
        String simple = f.getFileName().toString().replace(".class", "");
        if (simple.equals("package-info")) continue;
        Class<?> type = Class.forName("com.assignr.resilience." + simple, false, ApiSurfaceTest.class.getClassLoader());
        if (isVisible(type)) types.add(type);
      }
    }
    return types;
  }

  /** Public, and (for a nested type) inside public types all the way out. */
  static boolean isVisible(Class<?> type) {
    for (Class<?> t = type; t != null; t = t.getEnclosingClass()) {
      if (!Modifier.isPublic(t.getModifiers()) || t.isAnonymousClass() || t.isLocalClass()) return false;
    }
    return true;
  }

  @Test
  void theApiPackageListsTheVocabularyAndNoMachinery() throws Exception {
    Set<String> names = new TreeSet<>();
    for (Class<?> t : publicTypesOfTheApiPackage()) names.add(t.getName().substring("com.assignr.resilience.".length()));
    assertEquals(new TreeSet<>(VOCABULARY), names);
  }

  /**
   * Token management and the client-credentials grant live in assignr-resilience-oauth; core keeps
   * only the {@code spi.Authorizer} the executor asks. No class of core (any package) is about
   * OAuth tokens or parses JSON.
   */
  @Test
  void coreHoldsNoOAuthClassAndNoJsonReader() throws Exception {
    Path root = Path.of(AssignrResilience.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
        String name = root.relativize(f).toString().replace('\\', '/');
        if (name.matches("(?i).*(oauth|accesstoken|tokensource|tokenendpoint|clientcredentials|json|credentials(\\$.*)?\\.class).*")
            && !name.endsWith("CredentialsRefusedException.class")) {
          found.add(name);
        }
      }
    }
    assertEquals(List.of(), found);
  }

  @Test
  void noPublicMemberOfTheApiPackageHandsOutAGateOrTheEngine() throws Exception {
    List<String> leaks = new ArrayList<>();
    for (Class<?> t : publicTypesOfTheApiPackage()) {
      List<Member> members = new ArrayList<>();
      members.addAll(Arrays.asList(t.getDeclaredMethods()));
      members.addAll(Arrays.asList(t.getDeclaredConstructors()));
      members.addAll(Arrays.asList(t.getDeclaredFields()));
      for (Member m : members) {
        int mod = m.getModifiers();
        if (!(Modifier.isPublic(mod) || Modifier.isProtected(mod) && !Modifier.isFinal(t.getModifiers()))) continue;
        if (m instanceof Method method && method.isSynthetic()) continue;
        List<Type> types = new ArrayList<>();
        if (m instanceof Method method) types.add(method.getGenericReturnType());
        if (m instanceof Executable e) types.addAll(Arrays.asList(e.getGenericParameterTypes()));
        if (m instanceof java.lang.reflect.Field f) types.add(f.getGenericType());
        for (Type type : types) {
          for (Class<?> bad : MACHINERY) {
            if (type.getTypeName().contains(bad.getName())) leaks.add(t.getSimpleName() + "." + m.getName() + " → " + bad.getSimpleName());
          }
        }
      }
    }
    assertTrue(leaks.isEmpty(), "public members that expose machinery: " + leaks);
  }
}
