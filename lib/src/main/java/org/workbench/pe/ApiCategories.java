package org.workbench.pe;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The table of imported Windows API functions that hint at what a program does, grouped in categories. Names
 * are matched lower-cased; an entry ending in {@code *} matches every name with that prefix, any other entry
 * matches the name itself and its ANSI/wide/extended variants ({@code a}, {@code w}, {@code ex}, {@code exa},
 * {@code exw} suffixes). Function names are those of the Windows SDK (kernel32, advapi32, user32, ole32,
 * ws2_32, wininet, urlmon, ntdll, crypt32/advapi32 CryptoAPI, bcrypt CNG).
 */
public final class ApiCategories {
    private ApiCategories() {
    }

    /**
     * A category of API use.
     *
     * @param name        category name, e.g. {@code ANTI_DEBUG}
     * @param description what using these functions suggests
     * @param severity    1 (informational) .. 3 (strongly suspicious)
     * @param entries     lower-case names, {@code *} suffix for prefixes
     */
    public record Category(String name, String description, int severity, List<String> entries) {
        /**
         * @param function an imported function name (any case)
         * @return whether it belongs to this category
         */
        public boolean matches(String function) {
            String f = function.toLowerCase(Locale.ROOT);
            for (String e : entries) {
                if (e.endsWith("*")) {
                    if (f.startsWith(e.substring(0, e.length() - 1))) {
                        return true;
                    }
                } else if (f.equals(e) || f.equals(e + "a") || f.equals(e + "w") || f.equals(e + "ex")
                        || f.equals(e + "exa") || f.equals(e + "exw")) {
                    return true;
                }
            }
            return false;
        }
    }

    /** The categories, in reporting order. */
    public static final List<Category> CATEGORIES = List.of(
            new Category("ANTI_DEBUG", "Checks for or evades a debugger", 2, List.of(
                    "isdebuggerpresent", "checkremotedebuggerpresent", "outputdebugstring",
                    "ntqueryinformationprocess", "zwqueryinformationprocess", "ntsetinformationthread",
                    "zwsetinformationthread", "debugactiveprocess", "debugbreak", "setunhandledexceptionfilter",
                    "unhandledexceptionfilter", "ntqueryobject", "queryperformancecounter", "findwindow",
                    "getthreadcontext", "ntyieldexecution")),
            new Category("COM_SERVICES", "Uses COM objects or services", 1, List.of(
                    "cocreateinstance", "coinitialize", "cogetclassobject", "cogetobject", "oleinitialize",
                    "cocreateguid", "coinitializesecurity", "createservice", "openscmanager", "startservice",
                    "controlservice", "openservice", "deleteservice", "changeserviceconfig")),
            new Category("PROCESS_MANIPULATION", "Reads, writes or injects into other processes", 3, List.of(
                    "writeprocessmemory", "readprocessmemory", "virtualallocex", "virtualprotectex",
                    "createremotethread", "ntcreatethreadex", "rtlcreateuserthread", "queueuserapc",
                    "ntqueueapcthread", "openprocess", "ntunmapviewofsection", "zwunmapviewofsection",
                    "ntmapviewofsection", "setthreadcontext", "suspendthread", "openthread",
                    "ntwritevirtualmemory", "zwwritevirtualmemory", "ntallocatevirtualmemory")),
            new Category("PROCESS_SPAWN", "Starts other programs", 2, List.of(
                    "createprocess*", "shellexecute*", "winexec", "createprocessasuser*", "createprocesswithlogon*",
                    "createprocesswithtoken*", "system", "_wsystem", "ntcreateprocess*", "ntcreateuserprocess")),
            new Category("STEALTH_LOAD", "Loads code or resolves functions at run time", 2, List.of(
                    "loadlibrary*", "getprocaddress", "ldrloaddll", "ldrgetprocedureaddress", "getmodulehandle*",
                    "loadmodule", "ldrgetdllhandle")),
            new Category("SYSTEM_PROBE", "Probes the system (environment, time, hardware, users)", 1, List.of(
                    "getsysteminfo", "getnativesysteminfo", "gettickcount", "gettickcount64", "getcomputername",
                    "getusername", "getversion", "getversionex*", "globalmemorystatus", "getsystemmetrics",
                    "getlogicaldrives", "getdrivetype", "getvolumeinformation", "getdiskfreespace",
                    "getadaptersinfo", "getadaptersaddresses", "isprocessorfeaturepresent", "getsystemtime",
                    "getlocaltime", "getsystemdirectory", "getwindowsdirectory", "gettimezoneinformation",
                    "getcurrenthwprofile", "ntquerysysteminformation", "zwquerysysteminformation",
                    "getuserdefaultlangid", "getsystemdefaultlangid", "getkeyboardlayout", "createtoolhelp32snapshot",
                    "process32first*", "process32next*", "module32first*", "module32next*", "thread32first",
                    "thread32next", "enumprocesses", "enumprocessmodules")),
            new Category("SYSTEM_STATE", "Changes system state: registry, hooks, services, privileges, files", 2,
                    List.of("regopenkey*", "regcreatekey*", "regsetvalue*", "regsetkeyvalue*", "regdeletekey*",
                            "regdeletevalue*", "regqueryvalue*", "regenumkey*", "regenumvalue*", "regsavekey*",
                            "regloadkey*", "regreplacekey*", "regrestorekey*", "regconnectregistry*",
                            "setwindowshook*", "unhookwindowshookex", "getasynckeystate", "getkeystate",
                            "setfileattributes", "movefileex*", "deletefile", "exitwindows*", "initiatesystemshutdown*",
                            "setsystemtime", "sfcterminatewatcherthread", "setfiletime", "createmutex", "openmutex",
                            "setcurrentdirectory", "adjusttokenprivileges", "ntsetvaluekey", "zwsetvaluekey",
                            "ntloaddriver",
                            "zwloaddriver", "lookupprivilegevalue", "netuseradd", "netlocalgroupaddmembers",
                            "wnetaddconnection*")),
            new Category("NETWORK", "Communicates over the network", 2, List.of(
                    "wsastartup", "wsasocket", "socket", "connect", "bind", "listen", "accept", "recv", "recvfrom",
                    "send", "sendto", "gethostbyname", "gethostbyaddr", "getaddrinfo", "inet_addr", "inet_ntoa",
                    "internetopen*", "internetconnect*", "internetreadfile*", "internetwritefile",
                    "internetopenurl*", "internetcrackurl*", "internetgetconnectedstate", "httpopenrequest*",
                    "httpsendrequest*", "httpqueryinfo*", "ftpputfile*", "ftpgetfile*", "ftpopenfile*",
                    "urldownloadtofile*", "urldownloadtocachefile*", "urlopenstream*", "winhttpopen",
                    "winhttpconnect", "winhttpopenrequest", "winhttpsendrequest", "winhttpreceiveresponse",
                    "winhttpreaddata", "dnsquery*", "icmpsendecho", "netshareenum", "wnetopenenum*")),
            new Category("CRYPTO", "Uses cryptography (encryption, hashing, key handling)", 2, List.of(
                    "crypt*", "bcrypt*", "ncrypt*", "certopenstore", "certfindcertificateinstore",
                    "pfximportcertstore", "rtlencryptmemory", "rtldecryptmemory")));

    /**
     * Groups imported function names by category.
     *
     * @param functions imported function names (imports by ordinal excluded)
     * @return category name to the matching names (original case, first occurrence order, no duplicates), only
     *         categories with at least one match
     */
    public static Map<String, List<String>> classify(Iterable<String> functions) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Category c : CATEGORIES) {
            List<String> hits = new ArrayList<>();
            for (String f : functions) {
                if (c.matches(f) && !hits.contains(f)) {
                    hits.add(f);
                }
            }
            if (!hits.isEmpty()) {
                out.put(c.name(), hits);
            }
        }
        return out;
    }

    /**
     * @param name a category name
     * @return the category, or null
     */
    public static Category category(String name) {
        for (Category c : CATEGORIES) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        return null;
    }
}
