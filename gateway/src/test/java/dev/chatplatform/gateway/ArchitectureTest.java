package dev.chatplatform.gateway;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.chatplatform.testkit.ArchitectureRules;

@AnalyzeClasses(packages = "dev.chatplatform.gateway", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule staysInsideItsOwnPackage = ArchitectureRules.staysInsideItsOwnPackage("dev.chatplatform.gateway");
}
