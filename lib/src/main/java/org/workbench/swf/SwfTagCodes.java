package org.workbench.swf;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * SWF tag type codes and their names as the Adobe "SWF File Format Specification" version 19 spells them
 * (chapter "Tag format" and the per-tag sections; appendix "Tag values"). A few codes the specification leaves
 * undocumented but real files carry are named after their common use: 41 {@code ProductInfo}, 63
 * {@code DebugID}, 72 {@code DoABCDefine} (an ABC block without the flags and name of tag 82 {@code DoABC}),
 * 94 {@code PlaceObject4}. Every name is unique, so names can key counts.
 */
public final class SwfTagCodes {
    private static final Map<Integer, String> NAMES;

    static {
        Map<Integer, String> m = new TreeMap<>();
        m.put(0, "End");
        m.put(1, "ShowFrame");
        m.put(2, "DefineShape");
        m.put(4, "PlaceObject");
        m.put(5, "RemoveObject");
        m.put(6, "DefineBits");
        m.put(7, "DefineButton");
        m.put(8, "JPEGTables");
        m.put(9, "SetBackgroundColor");
        m.put(10, "DefineFont");
        m.put(11, "DefineText");
        m.put(12, "DoAction");
        m.put(13, "DefineFontInfo");
        m.put(14, "DefineSound");
        m.put(15, "StartSound");
        m.put(17, "DefineButtonSound");
        m.put(18, "SoundStreamHead");
        m.put(19, "SoundStreamBlock");
        m.put(20, "DefineBitsLossless");
        m.put(21, "DefineBitsJPEG2");
        m.put(22, "DefineShape2");
        m.put(23, "DefineButtonCxform");
        m.put(24, "Protect");
        m.put(26, "PlaceObject2");
        m.put(28, "RemoveObject2");
        m.put(32, "DefineShape3");
        m.put(33, "DefineText2");
        m.put(34, "DefineButton2");
        m.put(35, "DefineBitsJPEG3");
        m.put(36, "DefineBitsLossless2");
        m.put(37, "DefineEditText");
        m.put(39, "DefineSprite");
        m.put(41, "ProductInfo");
        m.put(43, "FrameLabel");
        m.put(45, "SoundStreamHead2");
        m.put(46, "DefineMorphShape");
        m.put(48, "DefineFont2");
        m.put(56, "ExportAssets");
        m.put(57, "ImportAssets");
        m.put(58, "EnableDebugger");
        m.put(59, "DoInitAction");
        m.put(60, "DefineVideoStream");
        m.put(61, "VideoFrame");
        m.put(62, "DefineFontInfo2");
        m.put(63, "DebugID");
        m.put(64, "EnableDebugger2");
        m.put(65, "ScriptLimits");
        m.put(66, "SetTabIndex");
        m.put(69, "FileAttributes");
        m.put(70, "PlaceObject3");
        m.put(71, "ImportAssets2");
        m.put(72, "DoABCDefine");
        m.put(73, "DefineFontAlignZones");
        m.put(74, "CSMTextSettings");
        m.put(75, "DefineFont3");
        m.put(76, "SymbolClass");
        m.put(77, "Metadata");
        m.put(78, "DefineScalingGrid");
        m.put(82, "DoABC");
        m.put(83, "DefineShape4");
        m.put(84, "DefineMorphShape2");
        m.put(86, "DefineSceneAndFrameLabelData");
        m.put(87, "DefineBinaryData");
        m.put(88, "DefineFontName");
        m.put(89, "StartSound2");
        m.put(90, "DefineBitsJPEG4");
        m.put(91, "DefineFont4");
        m.put(93, "EnableTelemetry");
        m.put(94, "PlaceObject4");
        NAMES = Collections.unmodifiableMap(m);
    }

    /** Tag code of {@code End}. */
    public static final int END = 0;
    /** Tag code of {@code ShowFrame}. */
    public static final int SHOW_FRAME = 1;
    /** Tag code of {@code SetBackgroundColor}. */
    public static final int SET_BACKGROUND_COLOR = 9;
    /** Tag code of {@code DefineSprite}. */
    public static final int DEFINE_SPRITE = 39;
    /** Tag code of {@code FrameLabel}. */
    public static final int FRAME_LABEL = 43;
    /** Tag code of {@code ExportAssets}. */
    public static final int EXPORT_ASSETS = 56;
    /** Tag code of {@code ScriptLimits}. */
    public static final int SCRIPT_LIMITS = 65;
    /** Tag code of {@code FileAttributes}. */
    public static final int FILE_ATTRIBUTES = 69;
    /** Tag code of the undocumented {@code DoABCDefine} (ABC data only). */
    public static final int DO_ABC_DEFINE = 72;
    /** Tag code of {@code SymbolClass}. */
    public static final int SYMBOL_CLASS = 76;
    /** Tag code of {@code Metadata}. */
    public static final int METADATA = 77;
    /** Tag code of {@code DoABC} (flags, name, ABC data). */
    public static final int DO_ABC = 82;
    /** Tag code of {@code DefineBinaryData}. */
    public static final int DEFINE_BINARY_DATA = 87;

    private SwfTagCodes() {
    }

    /**
     * @param code a tag type code (0..1023)
     * @return its name, or {@code Unknown<code>} (e.g. {@code Unknown255}) for a code not in the table
     */
    public static String name(int code) {
        String n = NAMES.get(code);
        return n != null ? n : "Unknown" + code;
    }

    /** @return every known code with its name, ascending by code (unmodifiable) */
    public static Map<Integer, String> all() {
        return NAMES;
    }
}
